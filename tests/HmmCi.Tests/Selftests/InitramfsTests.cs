using HmmCi.Processes;
using HmmCi.Selftests;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Selftests;

public class InitramfsTests
{
    [Fact]
    public async Task The_archive_is_a_newc_cpio_that_cpio_lists_with_a_console_device_busybox_hmm_tests_and_init()
    {
        using var temp = new TempDirectory();
        var tests = temp.WriteFile("hmm-tests", "not really an ELF");
        var archive = temp.Combine("initramfs.cpio");
        Initramfs.Write(archive, tests);
        var listing = await ProcessRunner.Default.RunAsync(new ProcessSpec("bash", ["-c", $"cpio -itv --quiet < {archive}"]));
        Assert.True(listing.Success, listing.Error);
        var entries = listing.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToDictionary(f => f[^1], f => f[0]);
        Assert.Equal("crw-------", entries["dev/console"]);
        Assert.Equal("-rwxr-xr-x", entries["init"]);
        Assert.Equal("-rwxr-xr-x", entries["bin/busybox"]);
        Assert.Equal("-rwxr-xr-x", entries["bin/hmm-tests"]);
        Assert.Equal("drwxr-xr-x", entries["tmp"]);

        var extract = temp.Combine("out");
        Directory.CreateDirectory(extract);
        var unpacked = await ProcessRunner.Default.RunAsync(new ProcessSpec("bash", ["-c", $"cpio -id --quiet init bin/hmm-tests < {archive}"]) { WorkingDirectory = extract });
        Assert.True(unpacked.Success, unpacked.Error);
        Assert.Equal("not really an ELF", File.ReadAllText(Path.Combine(extract, "bin/hmm-tests")));
        var init = File.ReadAllText(Path.Combine(extract, "init"));
        Assert.Equal(Initramfs.InitScript, init);
        foreach (var mount in new[] { "mount -t proc proc /proc", "mount -t sysfs sysfs /sys", "mount -t devtmpfs devtmpfs /dev", "mount -t tmpfs tmpfs /tmp", "reboot -f" })
            Assert.Contains(mount, init);
    }
}
