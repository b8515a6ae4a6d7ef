/** Server errors that belong to no field on this page (rare: the server knows something the form does not). */
export function FormErrors({ messages }: { messages: string[] }) {
  if (messages.length === 0) return null;
  return (
    <div className="notice notice--error" role="alert">
      <h2 className="notice-title">There is a problem</h2>
      <ul>
        {messages.map((message) => (
          <li key={message}>{message}</li>
        ))}
      </ul>
    </div>
  );
}
