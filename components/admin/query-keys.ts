export const quoteQueryKey = (quoteId: string) => ["admin-quote", quoteId] as const;
