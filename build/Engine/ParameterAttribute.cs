namespace HmmCi.Build.Engine;

/// <summary>
/// A build parameter, filled from <c>--kebab-name</c> on the command line, else from the environment
/// variable <c>HMMCI_UPPER_NAME</c>, else from the config file's <c>parameters:</c> section, else its initializer.
/// </summary>
[AttributeUsage(AttributeTargets.Field | AttributeTargets.Property)]
public sealed class ParameterAttribute(string description) : Attribute
{
    public string Description { get; } = description;
}
