/** Ids we make for calls Gemini sent without one start with this, and are not sent back to Google. */
export const MADE_UP_ID_PREFIX = 'ha_gemini_';

/**
 * Gemini's `functionCall` usually has no id (google/stream-function-call.sse): we make one from
 * the response id and the call's position, unique within the conversation.
 */
export function googleToolCallId(wireId: string | undefined, responseId: unknown, position: number): string {
  if (typeof wireId === 'string' && wireId !== '') return wireId;
  return `${MADE_UP_ID_PREFIX}${typeof responseId === 'string' && responseId !== '' ? responseId : 'call'}_${position}`;
}

/** The id to send back on `functionCall` / `functionResponse`: Google's own, never one we made. */
export function wireToolCallId(id: string | undefined): string | undefined {
  return id === undefined || id === '' || id.startsWith(MADE_UP_ID_PREFIX) ? undefined : id;
}
