/** The rules' settings that deployments choose (validity, underwriting, retention), passed into decide() by the command side. */
import { DEFAULT_RETENTION_SETTINGS, type RetentionSettings } from "./retention";
import { DEFAULT_UNDERWRITING_SETTINGS, type UnderwritingSettings } from "./underwriting";
import { DEFAULT_QUOTE_VALIDITY, type QuoteValidity } from "./validity";

export interface QuoteSettings {
  validity: QuoteValidity;
  underwriting: UnderwritingSettings;
  retention: RetentionSettings;
}

export const DEFAULT_QUOTE_SETTINGS: QuoteSettings = Object.freeze({
  validity: DEFAULT_QUOTE_VALIDITY,
  underwriting: DEFAULT_UNDERWRITING_SETTINGS,
  retention: DEFAULT_RETENTION_SETTINGS,
});
