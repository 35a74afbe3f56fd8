using HmmCi.Config;

namespace HmmCi.Tests.Selftests;

public class SelftestsConfigTests
{
    const string Trees = """
        topic:    { name: hmm,  url: repos/hmm.git, branch: hmm }
        mainline: { url: https://example.org/linux.git, branch: master }
        trees:
          - { name: rdma, url: git://example.org/rdma.git, branch: for-next }

        """;

    static SelftestsConfig Load(string section) => ConfigLoader.Parse(Trees + section, "hmmci.yml").Selftests;

    static string Reject(string section) => Assert.Throws<ConfigException>(() => Load(section)).Message;

    [Fact]
    public void Without_a_selftests_section_qemu_runs_with_the_defaults()
    {
        var config = Load("");
        Assert.Equal(SelftestRunnerKind.Qemu, config.Runner);
        Assert.Equal(TimeSpan.FromSeconds(90), config.TestTimeout);
        Assert.Equal(TimeSpan.FromMinutes(15), config.RunTimeout);
        Assert.Equal(TimeSpan.FromMinutes(20), config.BisectBudget);
        Assert.True(config.HarnessFixes);
        Assert.True(config.Parallel >= 1);
    }

    [Fact]
    public void Every_key_is_read_with_durations_in_seconds_minutes_or_hours()
    {
        var config = Load("""
            selftests:
              runner: command
              command: ssh lab1 run-hmm-tests
              testTimeout: 45s
              runTimeout: 1h
              parallel: 3
              bisectBudget: 0
              harnessFixes: false
            """);
        Assert.Equal(SelftestRunnerKind.Command, config.Runner);
        Assert.Equal("ssh lab1 run-hmm-tests", config.Command);
        Assert.Equal(TimeSpan.FromSeconds(45), config.TestTimeout);
        Assert.Equal(TimeSpan.FromHours(1), config.RunTimeout);
        Assert.Equal(3, config.Parallel);
        Assert.Equal(TimeSpan.Zero, config.BisectBudget);
        Assert.False(config.HarnessFixes);
        Assert.Equal(TimeSpan.FromSeconds(120), Load("selftests: { testTimeout: 120 }").TestTimeout);
    }

    [Theory]
    [InlineData("selftests: { runner: kvm }", "hmmci.yml:5:22: selftests.runner: expected qemu or command, got 'kvm'")]
    [InlineData("selftests: { runner: command }", "hmmci.yml:5:22: selftests.command: runner: command needs the shell command to run")]
    [InlineData("selftests: { command: ssh lab }", "hmmci.yml:5:23: selftests.command: only used with runner: command")]
    [InlineData("selftests: { testTimeout: soon }", "hmmci.yml:5:27: selftests.testTimeout: expected a duration such as 90s, 15m or 1h, got 'soon'")]
    [InlineData("selftests: { runTimeout: 0 }", "hmmci.yml:5:26: selftests.runTimeout: must be more than 0")]
    [InlineData("selftests: { parallel: 0 }", "hmmci.yml:5:24: selftests.parallel: expected a positive number, got '0'")]
    [InlineData("selftests: { harnessFixes: yes }", "hmmci.yml:5:28: selftests.harnessFixes: expected true or false, got 'yes'")]
    [InlineData("selftests: { testTimout: 60s }", "hmmci.yml:5:14: unknown key 'selftests.testTimout' (did you mean 'testTimeout'?)")]
    public void Bad_values_stop_with_one_line_naming_file_line_and_key(string section, string message) =>
        Assert.Equal(message, Reject(section));
}
