using System.Text;
using QRCoder;

namespace Omo.Clienteling.Tests.Support;

/// <summary>
/// Writes a one-frame Y4M video for Chromium's fake camera (--use-file-for-fake-video-capture): a code drawn in
/// black on white, slightly tilted and noisy like a phone held up to a tablet.
/// </summary>
public static class FakeCamera
{
    public const int Width = 640, Height = 480;

    public static string QrVideo(string text, string folder)
    {
        using var generator = new QRCodeGenerator();
        var modules = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M).ModuleMatrix;
        var size = modules.Count;
        return WriteY4m(Path.Combine(folder, "qr.y4m"), (x, y) =>
        {
            var module = Math.Min(Width, Height) * 0.7 / size;
            int mx = (int)Math.Floor(x / module), my = (int)Math.Floor(y / module);
            return mx >= 0 && my >= 0 && mx < size && my < size && modules[my][mx];
        }, size * (Math.Min(Width, Height) * 0.7 / size));
    }

    /// <summary>
    /// A video of several frames (Chromium loops it), each showing the QR codes given for it side by side: codes that
    /// flicker between frames, or a product code beside the member card.
    /// </summary>
    public static string QrFrames(string folder, params string[][] frames)
    {
        using var generator = new QRCodeGenerator();
        var lumas = frames.Select(codes =>
        {
            var luma = new byte[Width * Height];
            Array.Fill(luma, (byte)225);
            var slot = Width / Math.Max(codes.Length, 1);
            for (var i = 0; i < codes.Length; i++)
            {
                var modules = generator.CreateQrCode(codes[i], QRCodeGenerator.ECCLevel.M).ModuleMatrix;
                var module = Math.Min(slot, Height) * 0.8 / modules.Count;
                int left = i * slot + (int)((slot - module * modules.Count) / 2), top = (int)((Height - module * modules.Count) / 2);
                for (var y = 0; y < modules.Count * module; y++)
                    for (var x = 0; x < modules.Count * module; x++)
                        if (modules[(int)(y / module)][(int)(x / module)]) luma[(top + y) * Width + left + x] = 30;
            }
            return luma;
        }).ToList();
        return WriteLuma(Path.Combine(folder, "frames.y4m"), [.. lumas]);
    }

    /// <summary>Renders a picture given as "is this point (in symbol units) dark?" centred, rotated a few degrees, with noise.</summary>
    public static string WriteY4m(string path, Func<double, double, bool> dark, double symbolSize, double? symbolHeight = null)
    {
        var height = symbolHeight ?? symbolSize;
        var luma = new byte[Width * Height];
        var rng = new Random(7);
        var angle = 4 * Math.PI / 180;
        double cos = Math.Cos(angle), sin = Math.Sin(angle);
        for (var py = 0; py < Height; py++)
            for (var px = 0; px < Width; px++)
            {
                // Back-rotate the pixel into the symbol's frame, centred on the frame.
                double dx = px - Width / 2.0, dy = py - Height / 2.0;
                double sx = cos * dx + sin * dy + symbolSize / 2, sy = -sin * dx + cos * dy + height / 2;
                var value = dark(sx, sy) ? 30 : 225;
                luma[py * Width + px] = (byte)Math.Clamp(value + rng.Next(-12, 13), 0, 255);
            }
        return WriteLuma(path, luma);
    }

    /// <summary>
    /// Films what a page rendered: the element's pixels (a barcode canvas, a QR image) drawn onto a white 640×480 frame,
    /// tilted a little, as the tablet's camera would see the card or phone held up to it.
    /// </summary>
    public static async Task<string> FilmElementAsync(Microsoft.Playwright.IPage page, string selector, string folder)
    {
        var base64 = await page.EvaluateAsync<string>("""
            ([selector, width, height]) => {
              const source = document.querySelector(selector);
              const frame = document.createElement("canvas");
              frame.width = width; frame.height = height;
              const ctx = frame.getContext("2d");
              ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, width, height);
              const w = source.naturalWidth || source.width, h = source.naturalHeight || source.height;
              const scale = Math.min(width * 0.8 / w, height * 0.8 / h);
              ctx.translate(width / 2, height / 2); ctx.rotate(3 * Math.PI / 180);
              ctx.imageSmoothingEnabled = false;
              ctx.drawImage(source, -w * scale / 2, -h * scale / 2, w * scale, h * scale);
              const rgba = ctx.getImageData(0, 0, width, height).data;
              const luma = new Uint8Array(width * height);
              for (let i = 0; i < luma.length; i++) luma[i] = Math.round(0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]);
              let text = ""; for (let i = 0; i < luma.length; i += 8192) text += String.fromCharCode(...luma.subarray(i, i + 8192));
              return btoa(text);
            }
            """, new object[] { selector, Width, Height });
        return WriteLuma(Path.Combine(folder, "film.y4m"), Convert.FromBase64String(base64));
    }

    private static string WriteLuma(string path, params byte[][] frames)
    {
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{Width} H{Height} F30:1 Ip A1:1 C420jpeg\n"));
        var chroma = new byte[Width / 2 * (Height / 2)];
        Array.Fill(chroma, (byte)128);
        foreach (var luma in frames)
        {
            file.Write("FRAME\n"u8);
            file.Write(luma);
            file.Write(chroma);
            file.Write(chroma);
        }
        return path;
    }
}
