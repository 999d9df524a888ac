/** Every command nbtrace adds to JupyterLab, in one place. */
export namespace CommandIDs {
  /** Open (or focus) the Explore panel of a trace: args `{ traceId: string, runId?: string }`. */
  export const openExplore = 'nbtrace:open-explore';
  /** Show the Sessions sidebar. */
  export const openSessions = 'nbtrace:open-sessions';
}

/** The arguments of `CommandIDs.openExplore`. */
export interface IExploreArgs {
  traceId: string;
  runId?: string;
}
