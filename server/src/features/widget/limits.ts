/**
 * The widget is public, so every entry point has a tight limit. Sessions are counted per address
 * (each creates a contact); messages and reads per visitor, so one busy office behind one address
 * is not throttled as a whole.
 */
export const widgetLimits = {
  sessionsPerIpPerMinute: 10,
  messagesPerVisitorPerMinute: 20,
  readsPerVisitorPerMinute: 60,
  /** Socket commands (typing) per visitor socket, in a sliding window. */
  socketCommands: { max: 20, windowMs: 10_000 },
};
