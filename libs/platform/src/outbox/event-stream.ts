import { type JetStreamManager, nanos, RetentionPolicy, StorageType } from 'nats';
import { Subjects } from '@gisbi/contracts';

const streamsEnsured = new Set<string>();

/** Creates the domain-event stream for a prefix if missing. Idempotent; every service calls it at start. */
export async function ensureEventStream(jsm: JetStreamManager, prefix: string): Promise<string> {
  const name = Subjects.streamName(prefix);
  if (streamsEnsured.has(name)) return name;
  try {
    await jsm.streams.info(name);
  } catch {
    try {
      await jsm.streams.add({
        name,
        subjects: [Subjects.eventsWildcard(prefix)],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        max_age: nanos(7 * 24 * 3600 * 1000),
        // JetStream drops a re-published event with the same Nats-Msg-Id inside this window.
        duplicate_window: nanos(10 * 60 * 1000),
      });
    } catch (error) {
      // Another replica created it between our info() and add().
      await jsm.streams.info(name).catch(() => {
        throw error;
      });
    }
  }
  streamsEnsured.add(name);
  return name;
}
