using System.Text;

namespace HmmCi.Selftests;

/// <summary>
/// The initramfs each kernel boots: busybox (static), hmm-tests and an /init that mounts proc, sys, devtmpfs and a tmpfs at
/// /tmp (hmm-tests opens O_TMPFILE there), loads test_hmm when it is a module, runs the tests between two markers that
/// carry the exit code, and ends with <c>reboot -f</c> (tinyconfig has no ACPI, so poweroff would hang; QEMU runs with
/// -no-reboot and exits). Written as a newc cpio archive here, so /dev/console is a real device node without root.
/// </summary>
public static class Initramfs
{
    public const string StartMarker = "HMMCI: hmm-tests start";
    public const string EndMarkerPrefix = "HMMCI: hmm-tests end, exit code ";
    public const string ProbeMarker = "HMMCI: probe boot reached init";
    /// <summary>On the kernel command line: init only says it got there (the KVM probe).</summary>
    public const string ProbeArgument = "hmmci.probe";

    public const string BusyboxPath = "/bin/busybox";

    public static string InitScript => $$"""
        #!/bin/busybox sh
        /bin/busybox --install -s /bin
        export PATH=/bin
        mount -t proc proc /proc
        mount -t sysfs sysfs /sys
        mount -t devtmpfs devtmpfs /dev
        mount -t tmpfs tmpfs /tmp
        if grep -qw {{ProbeArgument}} /proc/cmdline; then
            echo "{{ProbeMarker}}"
            reboot -f
        fi
        # Built in, test_hmm creates /dev/hmm_dmirror* itself; as a module it is loaded here.
        [ -e /dev/hmm_dmirror0 ] || modprobe test_hmm 2>&1
        echo "{{StartMarker}}"
        cd /tmp
        /bin/hmm-tests
        echo "{{EndMarkerPrefix}}$?"
        reboot -f

        """.Replace("\r", "");

    /// <summary>Writes the archive for one kernel's hmm-tests.</summary>
    public static void Write(string path, string hmmTests, string busybox = BusyboxPath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var output = File.Create(path);
        var archive = new NewcWriter(output);
        foreach (var folder in new[] { "bin", "dev", "proc", "sys", "tmp", "root" }) archive.Directory(folder);
        archive.CharacterDevice("dev/console", 5, 1);
        archive.File("bin/busybox", File.ReadAllBytes(busybox), executable: true);
        archive.File("bin/hmm-tests", File.ReadAllBytes(hmmTests), executable: true);
        archive.File("init", Encoding.UTF8.GetBytes(InitScript), executable: true);
        archive.Trailer();
    }

    /// <summary>The "new ASCII" cpio format the kernel unpacks (Documentation/driver-api/early-userspace/buffer-format.rst).</summary>
    sealed class NewcWriter(Stream output)
    {
        int _inode = 1;

        public void Directory(string name) => Entry(name, 0x4000 | 0b111_101_101, [], nlink: 2);
        public void File(string name, byte[] data, bool executable) => Entry(name, 0x8000 | (executable ? 0b111_101_101 : 0b110_100_100), data);
        public void CharacterDevice(string name, int major, int minor) => Entry(name, 0x2000 | 0b110_000_000, [], rdevMajor: major, rdevMinor: minor);
        public void Trailer() => Entry("TRAILER!!!", 0, [], inode: 0, nlink: 1);

        void Entry(string name, int mode, byte[] data, int nlink = 1, int rdevMajor = 0, int rdevMinor = 0, int? inode = null)
        {
            var nameBytes = Encoding.UTF8.GetBytes(name + "\0");
            var header = new StringBuilder("070701");
            foreach (var field in new[] { inode ?? _inode++, mode, 0, 0, nlink, 0, data.Length, 0, 0, rdevMajor, rdevMinor, nameBytes.Length, 0 })
                header.Append(field.ToString("x8"));
            var headerBytes = Encoding.ASCII.GetBytes(header.ToString());
            output.Write(headerBytes);
            output.Write(nameBytes);
            Pad(headerBytes.Length + nameBytes.Length);
            output.Write(data);
            Pad(data.Length);
        }

        void Pad(int length)
        {
            for (var i = length; i % 4 != 0; i++) output.WriteByte(0);
        }
    }
}
