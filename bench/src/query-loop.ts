/** What a query loop saw: the answer time of each query that succeeded (ms), and what failed. */
export interface QueryLoopResult {
  times: number[];
  failed: number;
  /** the first few failures, for the report */
  failures: string[];
}

export interface QueryLoopOptions {
  /** the hive's HTTP base url */
  url: string;
  token: string;
  /** the query of the next request (may change from one to the next) */
  query: () => string;
  /** one request started this often, whether the previous one was answered or not */
  everyMs: number;
  /** true once the loop should stop starting requests */
  done: () => boolean;
}

/** GraphQL queries over HTTP at a steady rate, as a console would make them, until `done()`. */
export async function queryLoop(options: QueryLoopOptions): Promise<QueryLoopResult> {
  const result: QueryLoopResult = { times: [], failed: 0, failures: [] };
  const fail = (why: string) => {
    result.failed++;
    if (result.failures.length < 5) result.failures.push(why);
  };
  const ask = async (query: string) => {
    const started = performance.now();
    try {
      const res = await fetch(`${options.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.token}` },
        body: JSON.stringify({ query }),
      });
      const body = (await res.json()) as { errors?: unknown };
      if (!res.ok || body.errors) fail(`${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      else result.times.push(performance.now() - started);
    } catch (err) {
      // fetch's own message says little ("fetch failed"); its cause says why
      const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
      fail(`${String(err)}${cause}`);
    }
  };
  const pending = new Set<Promise<void>>();
  const start = performance.now();
  for (let n = 0; !options.done(); n++) {
    const request = ask(options.query()).finally(() => pending.delete(request));
    pending.add(request);
    // on schedule from the start: a late turn of the loop does not lower the rate
    const wait = start + (n + 1) * options.everyMs - performance.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
  }
  await Promise.all(pending);
  return result;
}
