/** Who issued a command: recorded on every event so the timeline can say who did what. */
export type Actor =
  | { kind: "customer" }
  | { kind: "agent"; agentId: string }
  | { kind: "system"; name: string };

export type ActorKind = Actor["kind"];

export type AgentActor = Extract<Actor, { kind: "agent" }>;

export function isAgent(actor: Actor): actor is AgentActor {
  return actor.kind === "agent";
}
