using System.Security.Cryptography;
using System.Text;
using HmmCi.Processes;

namespace HmmCi.Kernel.Runtimes;

/// <summary>An image as the engine knows it.</summary>
public sealed record ImageRef(string Tag, string Id);

/// <summary>
/// The build image, defined by src/HmmCi/Kernel/Image/Containerfile and tagged by a hash of that definition: built
/// on first use, reused after. Its base, Debian bookworm, is made locally, with no registry: <c>debootstrap
/// --variant=minbase bookworm</c> from the mirror apt already uses, imported as a tar; <c>build --network=host</c>
/// then installs the toolchain on top.
/// </summary>
public static class BuildImage
{
    public const string Suite = "bookworm";
    public const string BaseTag = "localhost/hmmci-base:" + Suite;

    public static string Containerfile { get; } = ReadDefinition();

    /// <summary>localhost/hmmci-kernel:&lt;first 12 hex digits of the definition's and the base's hash&gt;</summary>
    public static string Tag { get; } = "localhost/hmmci-kernel:" +
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Containerfile + "\0" + BaseTag)))[..12];

    /// <summary>One image build at a time on the machine: the image store is shared by every run and test.</summary>
    static readonly string LockFile = Path.Combine(Path.GetTempPath(), "hmmci-build-image.lock");

    public static async Task<ImageRef> EnsureAsync(DockerRuntime engine, string logFile, Action<string> progress, CancellationToken cancellation)
    {
        if (await IdAsync(engine, Tag, cancellation) is { } id) return new ImageRef(Tag, id);
        await using var held = await LockAsync(cancellation);
        if (await IdAsync(engine, Tag, cancellation) is { } built) return new ImageRef(Tag, built);

        if (await IdAsync(engine, BaseTag, cancellation) is null) await MakeBaseAsync(engine, logFile, progress, cancellation);
        progress($"building the kernel build image {Tag} (once; log: {logFile})");
        var context = Directory.CreateTempSubdirectory("hmmci-image-");
        try
        {
            File.WriteAllText(Path.Combine(context.FullName, "Containerfile"), Containerfile);
            var build = await engine.Try(["build", "--network=host", .. engine.RequiredContainerOptions, "--build-arg", $"BASE={BaseTag}",
                "--tag", Tag, "--file", Path.Combine(context.FullName, "Containerfile"), context.FullName], TimeSpan.FromMinutes(30), cancellation, logFile);
            if (!build.Success)
                throw new RuntimeUnavailableException($"{engine.Executable}: building the image {Tag} failed: {DockerRuntime.FirstLine(build)} (see {logFile})");
        }
        finally
        {
            context.Delete(recursive: true);
        }
        return new ImageRef(Tag, await IdAsync(engine, Tag, cancellation) ?? throw new RuntimeUnavailableException($"{engine.Executable}: the image {Tag} was built but cannot be found"));
    }

    static async Task MakeBaseAsync(DockerRuntime engine, string logFile, Action<string> progress, CancellationToken cancellation)
    {
        var mirror = AptSources.Mirror(Suite)
            ?? throw new RuntimeUnavailableException($"no Debian {Suite} mirror in /etc/apt/sources.list or /etc/apt/sources.list.d to make the base image from (add one, or import a Debian {Suite} image as {BaseTag})");
        progress($"making the base image {BaseTag} with debootstrap from {mirror} (once; log: {logFile})");
        var root = Directory.CreateTempSubdirectory("hmmci-rootfs-");
        try
        {
            var runner = engine.ProcessRunner;
            ProcessResult bootstrap;
            try
            {
                bootstrap = await runner.RunAsync(new ProcessSpec("debootstrap", ["--variant=minbase", Suite, root.FullName, mirror])
                    { LogFile = logFile, Timeout = TimeSpan.FromMinutes(20) }, cancellation);
            }
            catch (ProcessStartException)
            {
                throw new RuntimeUnavailableException($"debootstrap is not installed, and it makes the base image {BaseTag} (apt-get install debootstrap)");
            }
            if (!bootstrap.Success)
                throw new RuntimeUnavailableException($"debootstrap of {Suite} from {mirror} failed: {DockerRuntime.FirstLine(bootstrap)} (see {logFile}; it needs root)");
            var import = await engine.Try(["import", "-", BaseTag], TimeSpan.FromMinutes(10), cancellation, logFile,
                // A tar that fails cuts the stream short, and the import says so.
                input: (stdin, token) => runner.RunAsync(new ProcessSpec("tar", ["-C", root.FullName, "-c", "."]) { OutputStream = stdin, LogFile = logFile }, token));
            if (!import.Success)
                throw new RuntimeUnavailableException($"{engine.Executable} import of the {Suite} root failed: {DockerRuntime.FirstLine(import)} (see {logFile})");
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    static async Task<string?> IdAsync(DockerRuntime engine, string tag, CancellationToken cancellation)
    {
        var inspect = await engine.Try(["image", "inspect", "--format", "{{.Id}}", tag], TimeSpan.FromMinutes(1), cancellation);
        return inspect.Success && inspect.Output.Trim() is { Length: > 0 } id ? id : null;
    }

    static async Task<IAsyncDisposable> LockAsync(CancellationToken cancellation)
    {
        while (true)
        {
            try
            {
                return new FileStream(LockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
            }
        }
    }

    static string ReadDefinition()
    {
        using var stream = typeof(BuildImage).Assembly.GetManifestResourceStream("HmmCi.Kernel.Image.Containerfile")
            ?? throw new InvalidOperationException("the Containerfile is missing from the assembly");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
