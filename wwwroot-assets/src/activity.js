// Tells the server that someone is using the tablet, at most every few seconds, so the idle lock knows.
const events = ["pointerdown", "keydown", "touchstart", "wheel"];

export function watch(dotnet, throttleMs) {
    let last = 0;
    const seen = () => {
        const now = Date.now();
        if (now - last < throttleMs) return;
        last = now;
        dotnet.invokeMethodAsync("Activity").catch(() => { /* the circuit is reconnecting: the next touch tells */ });
    };
    events.forEach(e => window.addEventListener(e, seen, { capture: true, passive: true }));
    return { stop: () => events.forEach(e => window.removeEventListener(e, seen, { capture: true })) };
}
