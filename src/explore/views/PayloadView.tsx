/**
 * A run's inputs or outputs, formatted for reading: each top-level field
 * under its key, messages as a conversation, strings as text, anything else
 * in the JSON viewer. The raw JSON is one tab away.
 */
import type { ReactElement } from 'react';
import { formatCount } from '../../format';
import { asMessage, asMessageList, type ChatMessage } from '../messages';
import { copyableText } from './clipboard';
import { CopyButton } from './CopyButton';
import { JsonViewer } from './JsonViewer';
import { Conversation, MessageView } from './MessageView';
import { TextBlock } from './TextBlock';

/** Fields shown one by one; the rest go into one JSON viewer. */
const MAX_FIELDS = 40;

/** A conversation a value holds: a message list, or `{messages: [...]}` (a prompt value). */
export function asConversation(value: unknown): ChatMessage[] | null {
  const list = asMessageList(value);
  if (list !== null) {
    return list;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === 'messages') {
      return asMessageList((value as { messages: unknown }).messages);
    }
  }
  return null;
}

export interface PayloadViewProps {
  value: unknown;
  /** `inputs` or `outputs`: names the copy buttons. */
  what: string;
}

export function PayloadView(props: PayloadViewProps): ReactElement {
  const { value, what } = props;
  if (value === null || value === undefined) {
    return <div className="nbtrace-empty">None</div>;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return <FieldValue value={value} what={what} />;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) {
    return <div className="nbtrace-empty">Empty</div>;
  }
  const shown = entries.slice(0, MAX_FIELDS);
  const rest = entries.slice(MAX_FIELDS);
  return (
    <div className="nbtrace-payload">
      {shown.map(([key, field]) => (
        <div key={key} className="nbtrace-field">
          <div className="nbtrace-field__head">
            <span className="nbtrace-field__key">{key}</span>
            <FieldKind value={field} />
            <span className="nbtrace-msg__spacer" />
            <CopyButton what={`${what}.${key}`} text={() => copyableText(field)} />
          </div>
          <FieldValue value={field} what={`${what}.${key}`} />
        </div>
      ))}
      {rest.length > 0 && (
        <div className="nbtrace-field">
          <div className="nbtrace-field__head">
            <span className="nbtrace-field__key">{formatCount(rest.length)} more fields</span>
          </div>
          <JsonViewer value={Object.fromEntries(rest)} what={`more ${what}`} expandDepth={1} />
        </div>
      )}
    </div>
  );
}

/** A quiet hint of what a field holds: `5 messages`, `string`, `3 items`. */
function FieldKind(props: { value: unknown }): ReactElement | null {
  const { value } = props;
  const conversation = asConversation(value);
  let text: string | null = null;
  if (conversation !== null) {
    text = `${formatCount(conversation.length)} ${conversation.length === 1 ? 'message' : 'messages'}`;
  } else if (typeof value === 'string' && value.length > 200) {
    text = `${formatCount(value.length)} characters`;
  }
  return text === null ? null : <span className="nbtrace-field__kind">{text}</span>;
}

export function FieldValue(props: { value: unknown; what: string }): ReactElement {
  const { value, what } = props;
  const conversation = asConversation(value);
  if (conversation !== null) {
    return <Conversation messages={conversation} label={what} />;
  }
  const message = asMessage(value);
  if (message !== null) {
    return <MessageView message={message} />;
  }
  if (typeof value === 'string') {
    return value === '' ? (
      <div className="nbtrace-empty">(empty string)</div>
    ) : (
      <TextBlock text={value} className="nbtrace-field__text" />
    );
  }
  if (typeof value === 'object' && value !== null) {
    return <JsonViewer value={value} what={what} expandDepth={2} />;
  }
  return <div className="nbtrace-field__scalar">{value === undefined ? 'undefined' : JSON.stringify(value)}</div>;
}
