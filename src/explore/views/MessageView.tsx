/**
 * Chat messages as a conversation: role, content, tool calls (name +
 * arguments) and tool results. Content is text, never markup.
 */
import type { ReactElement } from 'react';
import { formatCount } from '../../format';
import { type ChatMessage, type ToolCall, messageText, roleLabel, toolNamesById } from '../messages';
import { copyableText } from './clipboard';
import { CopyButton } from './CopyButton';
import { JsonViewer } from './JsonViewer';
import { TextBlock } from './TextBlock';

const KNOWN_ROLES = new Set(['system', 'human', 'ai', 'tool', 'function']);

export interface ConversationProps {
  messages: readonly ChatMessage[];
  /** Tool call id -> tool name from earlier turns (else from these messages). */
  toolNames?: ReadonlyMap<string, string>;
  label?: string;
}

export function Conversation(props: ConversationProps): ReactElement {
  const toolNames = props.toolNames ?? toolNamesById(props.messages);
  return (
    <ol className="nbtrace-conversation" aria-label={props.label ?? 'Messages'}>
      {props.messages.map((message, i) => (
        <li key={i} className="nbtrace-conversation__item">
          <MessageView message={message} toolNames={toolNames} />
        </li>
      ))}
    </ol>
  );
}

export interface MessageViewProps {
  message: ChatMessage;
  toolNames?: ReadonlyMap<string, string>;
  /** A word shown after the role, e.g. "output" for a generation. */
  badge?: string;
}

export function MessageView(props: MessageViewProps): ReactElement {
  const { message } = props;
  const role = KNOWN_ROLES.has(message.role) ? message.role : 'other';
  const answered =
    message.toolCallId !== null ? (props.toolNames?.get(message.toolCallId) ?? message.name) : null;
  const empty = message.content.length === 0 && message.toolCalls.length === 0;
  const usage = message.usage;
  return (
    <article className={`nbtrace-msg nbtrace-msg--${role}`} data-role={message.role}>
      <header className="nbtrace-msg__head">
        <span className="nbtrace-msg__role">{roleLabel(message.role)}</span>
        {props.badge && <span className="nbtrace-msg__badge">{props.badge}</span>}
        {message.name !== null && message.role !== 'tool' && (
          <span className="nbtrace-msg__name">{message.name}</span>
        )}
        {message.toolCallId !== null && (
          <span className="nbtrace-msg__result-of">
            result of <span className="nbtrace-msg__tool-name">{answered ?? 'tool call'}</span>
            <span className="nbtrace-msg__call-id" title="tool call id">
              {message.toolCallId}
            </span>
          </span>
        )}
        {message.status === 'error' && <span className="nbtrace-msg__error">error</span>}
        <span className="nbtrace-msg__spacer" />
        {usage !== null && usage.total !== null && (
          <span className="nbtrace-msg__usage" title="usage_metadata">
            {formatCount(usage.input ?? 0)} in · {formatCount(usage.output ?? 0)} out
          </span>
        )}
        {message.finishReason !== null && (
          <span className="nbtrace-msg__usage" title="finish reason">
            {message.finishReason}
          </span>
        )}
        <CopyButton what={`${roleLabel(message.role)} message`} text={() => messageText(message)} />
      </header>
      {message.content.length > 0 && (
        <div className="nbtrace-msg__content">
          {message.content.map((part, i) => {
            switch (part.kind) {
              case 'text':
                return <TextBlock key={i} text={part.text} className="nbtrace-msg__text" />;
              case 'image':
                return (
                  <div key={i} className="nbtrace-msg__image">
                    image: <span className="nbtrace-msg__image-source">{part.source}</span>
                  </div>
                );
              case 'tool_use':
                return <ToolCallView key={i} call={part.call} />;
              default:
                return <JsonViewer key={i} value={part.value} what="content block" />;
            }
          })}
        </div>
      )}
      {message.toolCalls.length > 0 && (
        <div className="nbtrace-msg__calls">
          {message.toolCalls.map((call, i) => (
            <ToolCallView key={call.id ?? i} call={call} />
          ))}
        </div>
      )}
      {empty && <div className="nbtrace-msg__empty">(empty)</div>}
    </article>
  );
}

export function ToolCallView(props: { call: ToolCall }): ReactElement {
  const { call } = props;
  return (
    <div className={`nbtrace-toolcall${call.error ? ' nbtrace-toolcall--invalid' : ''}`}>
      <div className="nbtrace-toolcall__head">
        <svg className="nbtrace-toolcall__icon" viewBox="0 0 16 16" width="12" height="12" aria-hidden="true" focusable="false">
          <path d="M10.6 2.6a3 3 0 00-3.5 4L2.9 10.8a1.5 1.5 0 002.1 2.1l4.2-4.2a3 3 0 004-3.5l-1.8 1.8-1.7-.4-.4-1.7z" />
        </svg>
        <span className="nbtrace-toolcall__label">{call.error ? 'invalid tool call' : 'tool call'}</span>
        <span className="nbtrace-toolcall__name">{call.name || '(no name)'}</span>
        {call.id !== null && (
          <span className="nbtrace-toolcall__id" title="tool call id">
            {call.id}
          </span>
        )}
        <span className="nbtrace-msg__spacer" />
        <CopyButton what={`arguments of ${call.name}`} text={() => copyableText(call.args)} />
      </div>
      {call.error && <div className="nbtrace-toolcall__error">{call.error}</div>}
      <div className="nbtrace-toolcall__args">
        {typeof call.args === 'string' ? (
          <TextBlock text={call.args} mono />
        ) : (
          <JsonViewer value={call.args} what={`arguments of ${call.name}`} />
        )}
      </div>
    </div>
  );
}
