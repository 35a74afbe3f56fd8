using System.Reflection;
using System.Reflection.Emit;

namespace HmmCi.Tests.Architecture;

/// <summary>Which methods of an assembly call which: read from their IL, so a call through a lambda counts too.</summary>
public static class MethodReferences
{
    static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Every (caller, callee) pair in the assembly; a lambda's caller is the type its closure is nested in.</summary>
    public static IEnumerable<(Type Caller, MethodBase Callee)> Of(Assembly assembly) =>
        Methods(assembly).SelectMany(m => Callees(m.Method).Select(callee => (m.Caller, callee)));

    /// <summary>
    /// Every method and constructor of the assembly with the type it counts for: the outermost type, so the body of
    /// a lambda or of an async method's state machine counts for the type that wrote it.
    /// </summary>
    public static IEnumerable<(Type Caller, MethodBase Method)> Methods(Assembly assembly) =>
        from type in assembly.GetTypes()
        from method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything))
        select (Outermost(type), method);

    public static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }

    /// <summary>The methods and constructors the body calls (call, callvirt, newobj, ldftn).</summary>
    public static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        foreach (var (opCode, token) in Instructions(method))
        {
            if (opCode.OperandType != OperandType.InlineMethod) continue;
            MethodBase? callee = null;
            try
            {
                callee = method.Module.ResolveMethod(token, method.DeclaringType?.GetGenericArguments(),
                    method.IsGenericMethod ? method.GetGenericArguments() : null);
            }
            catch (ArgumentException)
            {
                // A method of a generic instantiation the module cannot name without its arguments.
            }
            if (callee is not null) yield return callee;
        }
    }

    /// <summary>
    /// The types the body names: the declaring types of the methods and fields it uses and the types it loads, casts
    /// to or makes (newarr, box, isinst, typeof and the like).
    /// </summary>
    public static IEnumerable<Type> Types(MethodBase method)
    {
        var typeArguments = method.DeclaringType?.GetGenericArguments();
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach (var (opCode, token) in Instructions(method))
        {
            MemberInfo? member = null;
            try
            {
                member = opCode.OperandType switch
                {
                    OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok =>
                        method.Module.ResolveMember(token, typeArguments, methodArguments),
                    _ => null,
                };
            }
            catch (ArgumentException)
            {
                // As in Callees: a member of a generic instantiation the module cannot name without its arguments.
            }
            if (member is Type type) yield return type;
            else if (member?.DeclaringType is { } owner) yield return owner;
        }
    }

    /// <summary>The string literals the body loads (ldstr).</summary>
    public static IEnumerable<string> Strings(MethodBase method) =>
        Instructions(method).Where(i => i.OpCode == OpCodes.Ldstr).Select(i => method.Module.ResolveString(i.Token));

    /// <summary>Each instruction of the body with its 4-byte operand (a metadata token where it is one), else 0.</summary>
    static IEnumerable<(OpCode OpCode, int Token)> Instructions(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE) value = (short)(0xFE00 | il[position++]);
            var opCode = OpCodesByValue[value];
            var size = opCode.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, position),
                _ => 4,
            };
            yield return (opCode, size == 4 ? BitConverter.ToInt32(il, position) : 0);
            position += size;
        }
    }
}
