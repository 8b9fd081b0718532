/** Window bounds as saved between runs. */
export interface Bounds {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface SavedWindow {
  readonly bounds: Bounds;
  readonly maximized: boolean;
}

const DEFAULT: SavedWindow = { bounds: { x: 0, y: 0, width: 1200, height: 800 }, maximized: false };
const MIN_WIDTH = 400;
const MIN_HEIGHT = 300;

/**
 * The saved window if it still fits on one of today's displays (a monitor may be gone), else the default
 * size centred on the first display. Anything malformed is the default.
 */
export function restoreWindow(saved: unknown, displays: readonly Bounds[]): SavedWindow {
  const area = displays[0];
  const centred = (): SavedWindow =>
    area
      ? {
          bounds: {
            width: Math.min(DEFAULT.bounds.width, area.width),
            height: Math.min(DEFAULT.bounds.height, area.height),
            x: area.x + Math.max(0, Math.round((area.width - DEFAULT.bounds.width) / 2)),
            y: area.y + Math.max(0, Math.round((area.height - DEFAULT.bounds.height) / 2)),
          },
          maximized: false,
        }
      : DEFAULT;
  if (typeof saved !== 'object' || saved === null) return centred();
  const { bounds, maximized } = saved as Partial<SavedWindow>;
  if (typeof bounds !== 'object' || bounds === null) return centred();
  const numbers = [bounds.x, bounds.y, bounds.width, bounds.height];
  if (!numbers.every((n) => typeof n === 'number' && Number.isFinite(n))) return centred();
  if (bounds.width < MIN_WIDTH || bounds.height < MIN_HEIGHT) return centred();
  // Visible enough: its title bar (top 40 px, inner part) lies on some display.
  const onScreen = displays.some(
    (d) =>
      bounds.x + 100 > d.x &&
      bounds.x + bounds.width - 100 < d.x + d.width + bounds.width &&
      bounds.x + 100 < d.x + d.width &&
      bounds.y >= d.y &&
      bounds.y + 40 <= d.y + d.height,
  );
  if (!onScreen) return centred();
  return { bounds, maximized: maximized === true };
}
