export interface WindowInput {
  readonly scrollTop: number;
  readonly viewportHeight: number;
  readonly rowHeight: number;
  readonly count: number;
  /** Rows kept in the DOM above and below the visible ones (smooth scrolling, find-in-page nearby). */
  readonly overscan: number;
}

/** Rows [start, end) of a list of fixed-height rows that are visible in the viewport, plus the overscan. */
export function windowRange({ scrollTop, viewportHeight, rowHeight, count, overscan }: WindowInput): {
  start: number;
  end: number;
} {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight);
  return {
    start: Math.min(count, Math.max(0, first - overscan)),
    end: Math.min(count, last + overscan),
  };
}
