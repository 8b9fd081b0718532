/** The tray icon as raw BGRA pixels (no image file to ship): an amber disc on transparency. */
export function trayIconBitmap(size: number): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const centre = (size - 1) / 2;
  const radius = size / 2 - 1;
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      if (Math.hypot(x - centre, y - centre) > radius) continue;
      // BGRA of #d97706
      pixels.set([0x06, 0x77, 0xd9, 0xff], (y * size + x) * 4);
    }
  }
  return pixels;
}
