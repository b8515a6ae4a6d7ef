export * from "./item-verdict";
export * from "./progress";
