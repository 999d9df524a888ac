"""Where runs are captured: LangChain callbacks (and, later, a decorator and a context manager)."""
