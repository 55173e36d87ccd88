/** Error codes of configuration loading. */
import { errorFactory } from "../domain/errors.js";

export const CONFIG_ERRORS = {
  /** One or more settings are missing or wrong; `details.problems` lists every one. */
  "config.invalid": { httpStatus: 500, retryable: false },
  /** The config file cannot be read or is not a JSON object. */
  "config.file_unreadable": { httpStatus: 500, retryable: false },
} as const;

export const configError = errorFactory(CONFIG_ERRORS);
