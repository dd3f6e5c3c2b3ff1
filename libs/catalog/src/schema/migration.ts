/** One step of the read-model schema; `version` orders the steps and is stored in `user_version`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /**
   * A step whose tables only a replay of the log can fill: a catalog that already holds rows is dropped
   * and rebuilt from position 0 instead (`migrateCatalog`), as a cold start would.
   */
  readonly emptiesExistingCatalog?: boolean;
}
