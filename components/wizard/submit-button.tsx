/** The page's main button. aria-disabled (not disabled) while saving, so keyboard focus stays on it. */
export function SubmitButton({ pending, children }: { pending: boolean; children: string }) {
  return (
    <div className="form-actions">
      <button type="submit" className="button" aria-disabled={pending || undefined}>
        {children}
      </button>
      <span className="saving-status" role="status">
        {pending ? "Saving your answers…" : ""}
      </span>
    </div>
  );
}
