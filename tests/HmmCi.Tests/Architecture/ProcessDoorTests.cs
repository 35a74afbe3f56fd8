using System.Diagnostics;
using System.Reflection;
using HmmCi.Processes;
using HmmCi.Trees;

namespace HmmCi.Tests.Architecture;

/// <summary>
/// Processes start in one place, and git processes through one door that sets git's environment: a stage that
/// started git on its own would read output shaped by the user's config, or hang on a credential prompt.
/// </summary>
public class ProcessDoorTests
{
    static readonly Assembly[] Assemblies = [typeof(GitCli).Assembly, typeof(HmmCi.Build.Pipeline).Assembly];
    static readonly Assembly ProcessAssembly = typeof(Process).Assembly;

    [Fact]
    public void Only_the_process_runner_uses_System_Diagnostics_Process()
    {
        var users = Assemblies.SelectMany(ProcessUsers).Distinct().ToList();

        // The rule sees the runner's own use, so it would see anyone else's.
        Assert.Contains(typeof(ProcessRunner), users);
        Assert.All(users, user => Assert.Equal(typeof(ProcessRunner), user));
    }

    [Fact]
    public void No_git_process_is_started_outside_the_git_door()
    {
        // A method that loads the string "git" and makes a ProcessSpec is taken to start git.
        var starters = Assemblies.SelectMany(MethodReferences.Methods)
            .Where(m => MethodReferences.Strings(m.Method).Contains("git")
                && MethodReferences.Callees(m.Method).Any(c => c is ConstructorInfo && c.DeclaringType == typeof(ProcessSpec)))
            .Select(m => (m.Caller, Method: $"{m.Method.DeclaringType}.{m.Method.Name}")).Distinct().ToList();

        // The rule sees the door's own git, so it would see anyone else's.
        Assert.Contains(starters, s => s.Caller == typeof(GitCli));
        Assert.All(starters, s => Assert.Equal(typeof(GitCli), s.Caller));
    }

    /// <summary>Types (outermost) that call into, hold, take or return a type of System.Diagnostics.Process.</summary>
    static IEnumerable<Type> ProcessUsers(Assembly assembly)
    {
        const BindingFlags everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes())
        {
            var owner = MethodReferences.Outermost(type);
            if (IsProcess(type.BaseType) || type.GetInterfaces().Any(IsProcess)
                || type.GetFields(everything).Any(f => IsProcess(f.FieldType))
                || type.GetProperties(everything).Any(p => IsProcess(p.PropertyType)))
                yield return owner;
        }
        foreach (var (caller, method) in MethodReferences.Methods(assembly))
        {
            var signature = method.GetParameters().Select(p => p.ParameterType)
                .Concat(method is MethodInfo info ? [info.ReturnType] : [])
                .Concat(method.GetMethodBody()?.LocalVariables.Select(l => l.LocalType) ?? []);
            if (signature.Any(IsProcess) || MethodReferences.Callees(method).Any(c => IsProcess(c.DeclaringType)))
                yield return caller;
        }
    }

    static bool IsProcess(Type? type) => type is not null && !type.IsGenericParameter
        && (type.Assembly == ProcessAssembly
            || (type.HasElementType && IsProcess(type.GetElementType()))
            || (type.IsGenericType && type.GetGenericArguments().Any(IsProcess)));
}
