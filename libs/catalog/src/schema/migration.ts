/** One step of the read-model schema; `version` orders the steps and is stored in `user_version`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}
