import type { ComponentType } from "react";

/** A component's code, loaded once, whoever asks first: the page that shows it, or one that leads to it. */
export interface DeferredScript<Props> {
  load(): Promise<ComponentType<Props>>;
  /** The component once its code has arrived. */
  loaded(): ComponentType<Props> | undefined;
}

export function deferredScript<Props>(load: () => Promise<ComponentType<Props>>): DeferredScript<Props> {
  let component: ComponentType<Props> | undefined;
  let loading: Promise<ComponentType<Props>> | undefined;
  return {
    load: () =>
      (loading ??= load().then(
        (loadedComponent) => (component = loadedComponent),
        (error: unknown) => {
          loading = undefined; // asked again, it tries again
          throw error;
        },
      )),
    loaded: () => component,
  };
}
