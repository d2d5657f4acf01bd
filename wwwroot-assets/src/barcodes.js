// Demo cards and the customer-app view: EAN-13 and Code 128 drawn by bwip-js (served from our own wwwroot).
import { toCanvas } from "../lib/bwip-js/bwip-js.mjs";

/** Draws a barcode into the canvas, with its human-readable text underneath. */
export function render(canvas, bcid, text) {
    toCanvas(canvas, {
        bcid, text, scale: 3, height: bcid === "ean13" ? 20 : 12, includetext: true, textxalign: "center",
        backgroundcolor: "FFFFFF", paddingwidth: 12, paddingheight: 6,
    });
}

export function print() {
    window.print();
}
