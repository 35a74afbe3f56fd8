using System.IO.Compression;
using System.Text.RegularExpressions;
using HmmCi.Processes;
using HmmCi.Reports;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Reports;

/// <summary>report.html in a real browser: headless Chromium (Debian's chromium) loads it with scripts off.</summary>
public sealed class ReportHtmlBrowserTests : IDisposable
{
    private readonly TempDirectory _output = new();

    public void Dispose() => _output.Dispose();

    private async Task<string> Chromium(string page, params string[] mode)
    {
        var profile = _output.Combine("chromium-profile");
        var result = await ProcessRunner.Default.RunAsync(new ProcessSpec("chromium",
            ["--headless", "--no-sandbox", "--disable-gpu", "--disable-javascript", "--hide-scrollbars", "--no-first-run", $"--user-data-dir={profile}",
             "--window-size=1280,1600", .. mode, new Uri(page).AbsoluteUri]) { Timeout = TimeSpan.FromMinutes(2) });
        Assert.True(result.Success, $"chromium failed (apt-get install chromium): {result.Error}");
        return result.Output;
    }

    [Fact]
    public async Task The_rendered_page_has_the_coloured_matrix_collapsible_logs_and_working_links()
    {
        var files = ReportWriter.Write(HandBuiltReports.Full(), _output.Path);
        var page = files.Single(f => f.EndsWith("report.html", StringComparison.Ordinal));

        var dom = await Chromium(page, "--dump-dom");
        // The browser's own DOM, not the file: the structure must survive HTML parsing as written.
        var matrix = Regex.Match(dom, "<table class=\"matrix\">(.*?)</table>", RegexOptions.Singleline).Groups[1].Value;
        var rows = Regex.Matches(matrix, "<tr id=\"t-([a-z]+)\">(.*?)</tr>", RegexOptions.Singleline).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        Assert.Equal(["drm", "rdma"], rows.Keys);
        Assert.Equal(["clean", "fail", "skipped", "fail", "not-ready"], Regex.Matches(rows["drm"], "<td class=\"s ([a-z-]+)\">").Select(m => m.Groups[1].Value));
        Assert.Equal(["conflict", "pass", "fail", "fail", "not-ready"], Regex.Matches(rows["rdma"], "<td class=\"s ([a-z-]+)\">").Select(m => m.Groups[1].Value));
        var ids = Regex.Matches(dom, " id=\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToHashSet();
        var links = Regex.Matches(dom, "href=\"#([^\"]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, l => Assert.Contains(l, ids));
        Assert.Contains("<details><summary>the end of the build log</summary><pre>", dom);
        Assert.Contains("<details open=\"\"><summary>conflict in drivers/infiniband/core/umem_odp.c</summary>", dom);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", dom);

        var screenshot = Path.Combine(_output.Path, "report.png");
        await Chromium(page, $"--screenshot={screenshot}");
        var (width, height, pixels) = Png.Read(screenshot);
        Assert.Equal((1280, 1600), (width, height));
        // The matrix is coloured as the stylesheet says: red for fail/conflict/not-ready, green for pass/clean.
        Assert.True(pixels.Count(p => p == (0xf6, 0xc4, 0xc4)) > 2000, "no red (failing) cells on the page");
        Assert.True(pixels.Count(p => p == (0xc8, 0xef, 0xc8)) > 1000, "no green (passing) cells on the page");
        // Kept where CI uploads test output, to look at.
        var kept = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(kept);
        File.Copy(screenshot, Path.Combine(kept, "report.png"), overwrite: true);
    }
}

/// <summary>Just enough of PNG to read Chromium's screenshots: 8-bit RGB or RGBA, not interlaced.</summary>
internal static class Png
{
    public static (int Width, int Height, List<(byte R, byte G, byte B)> Pixels) Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        for (var at = 8; at < bytes.Length;)
        {
            var length = (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
            var type = System.Text.Encoding.ASCII.GetString(bytes, at + 4, 4);
            var data = bytes.AsSpan(at + 8, length);
            if (type == "IHDR")
            {
                width = (data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3];
                height = (data[4] << 24) | (data[5] << 16) | (data[6] << 8) | data[7];
                Assert.Equal(8, data[8]);
                channels = data[9] switch { 2 => 3, 6 => 4, var c => throw new InvalidDataException($"PNG colour type {c}") };
            }
            else if (type == "IDAT") idat.Write(data);
            at += 12 + length;
        }
        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(inflated);
        var raw = inflated.ToArray();
        var stride = width * channels;
        var previous = new byte[stride];
        var pixels = new List<(byte, byte, byte)>(width * height);
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            var row = raw.AsSpan(y * (stride + 1) + 1, stride).ToArray();
            for (var x = 0; x < stride; x++)
            {
                int left = x >= channels ? row[x - channels] : 0, up = previous[x], upLeft = x >= channels ? previous[x - channels] : 0;
                row[x] = (byte)(row[x] + filter switch
                {
                    0 => 0,
                    1 => left,
                    2 => up,
                    3 => (left + up) / 2,
                    4 => Paeth(left, up, upLeft),
                    _ => throw new InvalidDataException($"PNG filter {filter}"),
                });
            }
            for (var x = 0; x < width; x++) pixels.Add((row[x * channels], row[x * channels + 1], row[x * channels + 2]));
            previous = row;
        }
        return (width, height, pixels);
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
