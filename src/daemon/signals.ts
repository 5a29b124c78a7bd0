// Maps process signals to daemon actions: SIGTERM/SIGINT drain and stop, SIGHUP reloads. Once
// installed, none of them kills the process by default: the daemon decides when it exits.

export interface SignalHandlers {
  stop: (signal: NodeJS.Signals) => void;
  reload: () => void;
}

export function installSignals(handlers: SignalHandlers): () => void {
  const stop = (signal: NodeJS.Signals) => handlers.stop(signal);
  const reload = () => handlers.reload();
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.on("SIGHUP", reload);
  return () => {
    process.off("SIGTERM", stop);
    process.off("SIGINT", stop);
    process.off("SIGHUP", reload);
  };
}
