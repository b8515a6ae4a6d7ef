"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef } from "react";
import type { CommandBatchView } from "@/lib/queries/contracts";
import { toast } from "../toasts/toast";
import { CommandProgress, commandSummary } from "./command-progress";
import { fetchJson, problemText } from "./fetch-json";

export const COMMAND_REFRESH_MS = 1_000;

/** A bulk decision followed from the quote list: polled until done, then the list is read again. */
export function LiveCommandProgress({ commandId, onDismiss }: { commandId: string; onDismiss: () => void }) {
  const queryClient = useQueryClient();
  const { data, error } = useQuery({
    queryKey: ["admin-command", commandId],
    queryFn: () => fetchJson<CommandBatchView>(`/api/admin/commands/${commandId}`),
    refetchInterval: (query) => (query.state.data?.status === "done" ? false : COMMAND_REFRESH_MS),
  });
  const done = data?.status === "done";
  const announced = useRef(false);
  useEffect(() => {
    if (!done || !data || announced.current) return;
    announced.current = true;
    void queryClient.invalidateQueries({ queryKey: ["admin-quotes"] });
    if (data.refused || data.failed) toast.info(`Bulk decision finished: ${commandSummary(data)}`);
    else toast.success(`Bulk decision finished: ${commandSummary(data)}`);
  }, [done, data, queryClient]);

  return (
    <div className="live-command">
      {error && (
        <div className="alert" role="alert">
          <p>{problemText(error)}</p>
        </div>
      )}
      {data && <CommandProgress command={data} />}
      <p>
        <Link href={`/admin/commands/${commandId}`}>Open this bulk decision on its own page</Link>
        {done && (
          <>
            {" · "}
            <button type="button" className="button link" onClick={onDismiss}>
              Hide
            </button>
          </>
        )}
      </p>
    </div>
  );
}
