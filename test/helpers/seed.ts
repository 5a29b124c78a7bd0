/** GRANTSYNC_SEED replays a run's random draws; otherwise one is drawn. Tests name it in their titles. */
export const SEED = Number(process.env.GRANTSYNC_SEED ?? Date.now() % 2 ** 31);
