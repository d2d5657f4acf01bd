// The tablet's scan field and camera scanner.
// Decoding runs in the browser with barcode-detector (ZXing-C++ as WebAssembly), served from our own wwwroot.
import { BarcodeDetector, prepareZXingModule } from "../lib/barcode-detector/ponyfill.js";

const formats = ["qr_code", "code_128", "ean_13"];
let wasmReady = null;

/** Loads the WebAssembly when the scan page opens, so the camera button answers at once. */
export function preload() {
  wasmReady ??= prepareZXingModule({
    fireImmediately: true,
    overrides: {
      locateFile: (path, prefix) =>
        path.endsWith(".wasm") ? new URL("../lib/barcode-detector/" + path, import.meta.url).href : prefix + path,
    },
  });
  return wasmReady.then(() => true);
}

let keepFocusHandler = null;

/**
 * Keeps the scan field ready: a keyboard-wedge scanner "types" the code, so any key pressed while no other
 * field has focus is sent to the scan field.
 */
export function attach(input) {
  detach();
  keepFocusHandler = (event) => {
    const active = document.activeElement;
    const typing = active && (active.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(active.tagName));
    if (!typing && !event.ctrlKey && !event.metaKey && !event.altKey && event.key.length === 1) input.focus();
  };
  document.addEventListener("keydown", keepFocusHandler, true);
  focus(input);
}

export function detach() {
  if (keepFocusHandler) document.removeEventListener("keydown", keepFocusHandler, true);
  keepFocusHandler = null;
}

export function focus(input) {
  if (input) {
    input.focus({ preventScroll: true });
    input.select?.();
  }
}

const cameras = new WeakMap();

/** Opens the back camera in the video element and calls dotnet.OnCameraCode(text) with the first code it reads. */
export async function startCamera(video, dotnet) {
  await preload();
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: { ideal: "environment" }, width: { ideal: 1280 }, height: { ideal: 720 } },
    audio: false,
  });
  video.srcObject = stream;
  video.setAttribute("playsinline", "");
  await video.play();
  const detector = new BarcodeDetector({ formats });
  const state = { stream, stopped: false };
  cameras.set(video, state);

  const tick = async () => {
    if (state.stopped) return;
    try {
      if (video.readyState >= 2) {
        const codes = await detector.detect(video);
        if (codes.length > 0 && !state.stopped) {
          stopCamera(video);
          await dotnet.invokeMethodAsync("OnCameraCode", codes[0].rawValue, codes[0].format);
          return;
        }
      }
    } catch (e) {
      console.warn("barcode detection failed", e);
    }
    setTimeout(tick, 120);
  };
  tick();
}

export function stopCamera(video) {
  const state = cameras.get(video);
  if (!state) return;
  state.stopped = true;
  state.stream.getTracks().forEach((t) => t.stop());
  video.srcObject = null;
  cameras.delete(video);
}

/** Reads what was typed or scanned and leaves it selected, so the next scan replaces it. */
export function takeValue(input) {
  const value = input.value;
  input.select();
  return value;
}

export function clear(input) {
  input.value = "";
}
