import { NoticeWatcher } from '../../../src/jobs/noticeWatcher';
import { Store } from '../../../src/store/store';

describe('NoticeWatcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('logs a store that cannot be read and looks again at the next round, never throwing from its timer', async () => {
    const store = Store.open(null);
    const lines: string[] = [];
    const watcher = new NoticeWatcher(store, (line) => lines.push(line));
    const ids = jest.spyOn(store.orgs, 'ids').mockImplementation(() => { throw new Error('the store did not answer'); });
    try {
      watcher.start();
      await jest.advanceTimersByTimeAsync(60_000);
      expect(ids).toHaveBeenCalledTimes(2);
      expect(lines).toEqual([
        'Certificate notices: the store could not be read (the store did not answer); trying again in 60 s',
        'Certificate notices: the store could not be read (the store did not answer); trying again in 60 s',
      ]);
      ids.mockReturnValue([]);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(ids).toHaveBeenCalledTimes(3);
      expect(lines).toHaveLength(2);
    } finally {
      watcher.stop();
      store.close();
    }
  });
});
