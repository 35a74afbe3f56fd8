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
    public static IEnumerable<(Type Caller, MethodBase Callee)> Of(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
            foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
                foreach (var callee in Callees(method))
                    yield return (Outermost(type), callee);
    }

    public static Type Outermost(Type type)
    {
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }

    static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null) yield break;
        var position = 0;
        while (position < il.Length)
        {
            short value = il[position++];
            if (value == 0xFE) value = (short)(0xFE00 | il[position++]);
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineMethod:
                    var token = BitConverter.ToInt32(il, position);
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
                    position += 4;
                    break;
                case OperandType.InlineNone: break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar: position += 1; break;
                case OperandType.InlineVar: position += 2; break;
                case OperandType.InlineI8 or OperandType.InlineR: position += 8; break;
                case OperandType.InlineSwitch: position += 4 + 4 * BitConverter.ToInt32(il, position); break;
                default: position += 4; break;
            }
        }
    }
}
