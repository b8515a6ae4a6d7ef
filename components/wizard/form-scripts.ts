/**
 * The wizard forms' scripts (react-hook-form, the optimistic save): each page's form loads its own while React
 * hydrates the page, and the wizard's pages load the others once they are interactive, so a form opened from another
 * page shows with its script at once.
 */
import { deferredScript } from "../forms/deferred-script";

export const scriptedGeographicForm = deferredScript(() => import("./scripted-geographic-form").then((module) => module.ScriptedGeographicForm));
export const scriptedContactForm = deferredScript(() => import("./scripted-contact-form").then((module) => module.ScriptedContactForm));
export const scriptedFamilyForm = deferredScript(() => import("./scripted-family-form").then((module) => module.ScriptedFamilyForm));

export const loadEveryFormScript = () => Promise.all([scriptedGeographicForm, scriptedContactForm, scriptedFamilyForm].map((script) => script.load()));
