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

/**
 * The scan field is ready when the page opens (scan-focus.js sends stray keys to it). Focused without selecting: a
 * scanner that started typing before this ran is not overwritten by its own next characters.
 */
export function attach(input, dotnet) {
  if (document.activeElement !== input) input.focus({ preventScroll: true });
  // Enter hands the text straight to the server with the key press: one message, not a submit and a read-back.
  input.addEventListener("keydown", async (event) => {
    if (event.key !== "Enter" || event.isComposing) return;
    event.preventDefault();
    const value = input.value;
    input.select(); // the next scan replaces this one
    if (await dotnet.invokeMethodAsync("OnScanned", value)) input.value = "";
  });
  input.dataset.ready = "true";
}

export function focus(input) {
  if (input) {
    input.focus({ preventScroll: true });
    input.select?.();
  }
}

const cameras = new WeakMap();

/** What a member code looks like (docs/member-codes.md): a point card (EAN-13 starting 29) or the app's rotating code. */
const memberCode = /^(29\d{11}|OMO1:.+)$/;

/**
 * The code to take from one frame: a member code if one is in view (a product tag beside the card is not the
 * customer), else whatever was read, so the tablet can say "that is a product barcode".
 */
export function choose(codes) {
  return (codes.find((c) => memberCode.test(c.rawValue)) ?? codes[0])?.rawValue ?? null;
}

/** Copies a picture (the video element, or one VideoFrame) to a canvas the decoder can read later. */
function grab(source, width, height) {
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  canvas.getContext("2d").drawImage(source, 0, 0, width, height);
  return canvas;
}

/** A cheap print of a frame's pixels: equal prints are the same picture handed out twice. */
function fingerprint(canvas) {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let hash = 0;
  for (let i = 0; i < data.length; i += 61) hash = (Math.imul(hash, 31) + data[i]) | 0;
  return hash;
}

/**
 * Reads two successive camera frames. Where the browser hands out the camera's frames one by one
 * (MediaStreamTrackProcessor: Chromium, Android tablets), these are two frames the camera took one after the other;
 * elsewhere (Safari) the next two frames the video element presents, retried when one was skipped in between.
 */
function frameReader(video, stream) {
  const track = stream.getVideoTracks()[0];
  if (typeof MediaStreamTrackProcessor === "function") {
    const reader = new MediaStreamTrackProcessor({ track, maxBufferSize: 1 }).readable.getReader();
    const next = async () => {
      const { value, done } = await reader.read();
      if (done) throw new Error("the camera stopped");
      try {
        const canvas = grab(value, value.displayWidth, value.displayHeight);
        return { canvas, at: value.timestamp, print: fingerprint(canvas) };
      } finally { value.close(); }
    };
    const interval = 1e6 / (track.getSettings().frameRate || 30);
    return {
      async two() {
        for (;;) {
          // The first frame, then the next one that is a new picture. A camera that hands out the same picture again
          // has not looked again; after three identical frames the picture is simply still, and agrees with itself.
          const one = await next();
          let previous = one, other = null, identical = 1;
          while (other === null && identical < 3) {
            const frame = await next();
            // A frame dropped in between would let a flicker between two codes look like agreement: start again.
            if (frame.at - previous.at > 1.5 * interval) break;
            previous = frame;
            if (frame.print === one.print) identical++;
            else other = frame;
          }
          if (other !== null) return [one.canvas, other.canvas];
          if (identical === 3) return [one.canvas, one.canvas];
        }
      },
      cancel: () => reader.cancel().catch(() => {}),
    };
  }
  return {
    two: () => new Promise((resolve) => {
      const first = (_, a) => {
        const one = grab(video, video.videoWidth, video.videoHeight);
        video.requestVideoFrameCallback((_, b) => {
          if (b.presentedFrames - a.presentedFrames !== 1) video.requestVideoFrameCallback(first);
          else resolve([one, grab(video, video.videoWidth, video.videoHeight)]);
        });
      };
      video.requestVideoFrameCallback(first);
    }),
    cancel: () => {},
  };
}

/**
 * Opens the back camera in the video element and calls dotnet.OnCameraCode(text) once two successive frames read the
 * same code: a single-frame misread (another valid EAN-13 in a glare) never opens someone else's profile.
 */
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
  const frames = frameReader(video, stream);
  const state = { stream, frames, stopped: false };
  cameras.set(video, state);

  const tick = async () => {
    if (state.stopped) return;
    try {
      const [one, two] = await frames.two();
      const first = choose(await detector.detect(one));
      const second = first === null ? null : choose(await detector.detect(two));
      if (first !== null && first === second && !state.stopped) {
        stopCamera(video);
        await dotnet.invokeMethodAsync("OnCameraCode", first);
        return;
      }
    } catch (e) {
      console.warn("barcode detection failed", e);
    }
    setTimeout(tick, 60);
  };
  tick();
}

export function stopCamera(video) {
  const state = cameras.get(video);
  if (!state) return;
  state.stopped = true;
  state.frames.cancel();
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
