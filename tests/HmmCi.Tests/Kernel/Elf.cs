namespace HmmCi.Tests.Kernel;

/// <summary>Reads an x86_64 ELF file's program headers: a binary without PT_INTERP needs no dynamic loader (statically linked).</summary>
public static class Elf
{
    const uint PtInterp = 3;

    public static bool IsStatic(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Assert.True(bytes.Length > 64 && bytes[0] == 0x7f && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F' && bytes[4] == 2, $"{path} is not a 64-bit ELF file");
        var phoff = (int)BitConverter.ToUInt64(bytes, 0x20);
        var phentsize = BitConverter.ToUInt16(bytes, 0x36);
        var phnum = BitConverter.ToUInt16(bytes, 0x38);
        return Enumerable.Range(0, phnum).All(i => BitConverter.ToUInt32(bytes, phoff + i * phentsize) != PtInterp);
    }
}

public sealed class ElfTests
{
    [Fact]
    public async Task A_static_binary_has_no_dynamic_loader_and_a_default_one_has()
    {
        using var dir = new HmmCi.Tests.Fixtures.TempDirectory();
        var source = dir.WriteFile("main.c", "int main(void) { return 0; }\n");
        foreach (var (flags, expected) in new[] { (new[] { "-static" }, true), (Array.Empty<string>(), false) })
        {
            var binary = dir.Combine(expected ? "static" : "dynamic");
            var gcc = await HmmCi.Processes.ProcessRunner.Default.RunAsync(new HmmCi.Processes.ProcessSpec("gcc", [.. flags, source, "-o", binary]));
            Assert.True(gcc.Success, gcc.Error);
            Assert.Equal(expected, Elf.IsStatic(binary));
        }
    }
}
