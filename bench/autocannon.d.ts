// The part of autocannon's API (https://github.com/mcollina/autocannon) that bench/harness.ts uses;
// the package ships no types and DefinitelyTyped's stop at version 7.
declare module 'autocannon' {
  namespace autocannon {
    interface Request {
      method?: string
      path?: string
      headers?: Record<string, string>
      body?: string | Buffer
      onResponse?: (status: number, body: string, context: Record<string, unknown>, headers: Record<string, string>) => void
    }
    interface Client {
      setRequests (requests: Request[]): void
    }
    interface Options {
      url: string
      connections?: number
      duration?: number
      amount?: number
      maxOverallRequests?: number
      timeout?: number
      pipelining?: number
      requests?: Request[]
      setupClient?: (client: Client) => void
    }
    interface Histogram { average: number, mean: number, stddev: number, min: number, max: number, total: number, p50: number, p90: number, p99: number, p99_9: number }
    interface Result {
      latency: Histogram
      requests: Histogram
      throughput: Histogram
      duration: number
      errors: number
      timeouts: number
      non2xx: number
      '1xx': number
      '2xx': number
      '3xx': number
      '4xx': number
      '5xx': number
      statusCodeStats?: Record<string, { count: number }>
    }
  }
  function autocannon (options: autocannon.Options): Promise<autocannon.Result>
  export default autocannon
}
