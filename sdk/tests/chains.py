"""Small chains on LangChain's fake models, shared by the tests."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda, RunnableParallel

JOKE = "Why did the bear sit? To rest."


def joke_chain(reply: str = JOKE, usage: dict | None = None):
    message = AIMessage(reply, usage_metadata=usage) if usage else AIMessage(reply)
    prompt = ChatPromptTemplate.from_messages([("system", "You are a comedian."), ("human", "Tell me a joke about {topic}")])
    return prompt | GenericFakeChatModel(messages=iter([message])) | StrOutputParser()


def parallel_chain():
    return RunnableParallel(upper=RunnableLambda(lambda s: s.upper(), name="upper"), length=RunnableLambda(len, name="length"))


def failing_chain():
    def explode(_: str) -> str:
        raise ValueError("the parser gave up")

    return RunnableLambda(lambda s: s + "!", name="shout") | RunnableLambda(explode, name="explode")
