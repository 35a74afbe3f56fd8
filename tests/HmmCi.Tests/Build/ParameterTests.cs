using HmmCi.Build.Engine;
using HmmCi.Tests.Fixtures;

namespace HmmCi.Tests.Build;

public class ParameterTests
{
    private sealed class WithParameters(IReadOnlyDictionary<string, string> config) : PipelineBuild
    {
        [Parameter("a colour")] public string Colour = "red";
        [Parameter("a size")] public int MaxSize = 1;
        [Parameter("names")] public string[] Names = [];
        [Parameter("a switch")] public bool Verbose = false;

        public Target Show => _ => _.Executes(() => { });

        protected override IReadOnlyDictionary<string, string> LoadParameterDefaults() => config;

        public int Invoke(Dictionary<string, string> environment, params string[] args) =>
            Run(args, name => environment.GetValueOrDefault(name), new RecordingHost(), Show);
    }

    [Fact]
    public void Command_line_beats_environment_which_beats_config_which_beats_the_initializer()
    {
        var config = new Dictionary<string, string> { ["colour"] = "green", ["max-size"] = "3", ["names"] = "x,y" };
        var environment = new Dictionary<string, string> { ["HMMCI_COLOUR"] = "blue", ["HMMCI_MAX_SIZE"] = "5" };

        var fromCli = new WithParameters(config);
        fromCli.Invoke(environment, "--colour", "purple");
        Assert.Equal("purple", fromCli.Colour);
        Assert.Equal(5, fromCli.MaxSize);
        Assert.Equal(["x", "y"], fromCli.Names);

        var fromConfig = new WithParameters(config);
        fromConfig.Invoke([]);
        Assert.Equal("green", fromConfig.Colour);
        Assert.Equal(3, fromConfig.MaxSize);

        var fromInitializer = new WithParameters(new Dictionary<string, string>());
        fromInitializer.Invoke([]);
        Assert.Equal("red", fromInitializer.Colour);
        Assert.False(fromInitializer.Verbose);
    }

    [Fact]
    public void Lists_take_several_values_and_switches_need_no_value()
    {
        var build = new WithParameters(new Dictionary<string, string>());
        build.Invoke([], "Show", "--names", "rdma", "drm", "--verbose");
        Assert.Equal(["rdma", "drm"], build.Names);
        Assert.True(build.Verbose);
    }

    [Theory]
    [InlineData("--colour-typo", "x")]
    [InlineData("--max-size", "lots")]
    [InlineData("--max-size", "1", "2")]
    public void Bad_parameters_exit_2(params string[] args)
    {
        Assert.Equal(PipelineBuild.ExitBadInput, new WithParameters(new Dictionary<string, string>()).Invoke([], args));
    }

    [Fact]
    public void Names_follow_the_kebab_and_environment_conventions()
    {
        var p = Parameter.Of(typeof(WithParameters)).Single(x => x.Name == "MaxSize");
        Assert.Equal("--max-size", p.OptionName);
        Assert.Equal("HMMCI_MAX_SIZE", p.EnvironmentName);
    }
}
