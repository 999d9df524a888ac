/**
 * How a 'runs' message travels on a trace widget's comm: as UTF-8 JSON in the custom
 * message's one binary buffer, beside the content `{ protocol, encoding: 'json-buffer' }`
 * (the kernel side is `sdk/nbtrace/comm/wire.py`: a buffer spares the kernel walking
 * every value of the content). Any other content is the protocol message itself.
 */

type Buffer = ArrayBuffer | ArrayBufferView;

const decoder = new TextDecoder();

function bytesOf(buffer: Buffer): Uint8Array {
  return buffer instanceof ArrayBuffer
    ? new Uint8Array(buffer)
    : new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

/** The protocol message a custom message carries; what it says when it cannot be read. */
export function protocolMessage(content: unknown, buffers?: ReadonlyArray<Buffer>): unknown {
  const inBuffer =
    typeof content === 'object' &&
    content !== null &&
    (content as Record<string, unknown>).encoding === 'json-buffer';
  if (!inBuffer) {
    return content;
  }
  if (!buffers || buffers.length !== 1) {
    return { ...(content as object), error: 'its buffer is missing' };
  }
  try {
    return JSON.parse(decoder.decode(bytesOf(buffers[0])));
  } catch {
    return { ...(content as object), error: 'its buffer is not JSON' };
  }
}
