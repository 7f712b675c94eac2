// Loaded only when a phone without BarcodeDetector opens the scanner (or when the assignment is downloaded, so it
// is on the device before going out): a separate chunk, not part of the first load.
import jsQR from "jsqr";

export function decode(imageData) {
  const found = jsQR(imageData.data, imageData.width, imageData.height, { inversionAttempts: "dontInvert" });
  return found ? found.data : null;
}
