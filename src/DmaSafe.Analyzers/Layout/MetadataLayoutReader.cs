using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using Microsoft.CodeAnalysis;

namespace DmaSafe.Analyzers.Layout;

/// <summary>
/// Reads layout flags, ClassLayout (Pack, Size) and FieldLayout (offsets) of types from referenced assemblies.
/// Roslyn hides these pseudo-attributes on metadata symbols, so we open the reference's own metadata
/// (already loaded by the compiler: no file I/O of ours) and look the symbol's token up.
/// One instance per compilation.
/// </summary>
internal sealed class MetadataLayoutReader
{
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<IModuleSymbol, MetadataReader?> _readers =
        new(SymbolEqualityComparer.Default as IEqualityComparer<IModuleSymbol>);

    public MetadataLayoutReader(Compilation compilation) => _compilation = compilation;

    /// <summary>
    /// Whether <paramref name="type"/> comes from a PE reference (a compiled assembly) rather than from source
    /// (this compilation or a referenced project, whose attributes carry the layout).
    /// </summary>
    public bool IsFromMetadata(INamedTypeSymbol type) =>
        type.ContainingAssembly is { } assembly &&
        !SymbolEqualityComparer.Default.Equals(assembly, _compilation.Assembly) &&
        _compilation.GetMetadataReference(assembly) is PortableExecutableReference;

    /// <summary>The declared layout stored in the type's metadata, or null when the metadata cannot be read.</summary>
    public DeclaredLayout? ReadType(INamedTypeSymbol type)
    {
        var reader = GetReader(type.ContainingModule);
        var definition = type.OriginalDefinition;
        if (reader is null || !TryGetHandle(definition.MetadataToken, HandleKind.TypeDefinition, out var handle))
        {
            return null;
        }

        var typeDefinition = reader.GetTypeDefinition((TypeDefinitionHandle)handle);
        var kind = (typeDefinition.Attributes & TypeAttributes.LayoutMask) switch
        {
            TypeAttributes.SequentialLayout => DeclaredLayoutKind.Sequential,
            TypeAttributes.ExplicitLayout => DeclaredLayoutKind.Explicit,
            TypeAttributes.AutoLayout => DeclaredLayoutKind.Auto,
            _ => DeclaredLayoutKind.Other,
        };
        var classLayout = typeDefinition.GetLayout();
        return new DeclaredLayout(kind, classLayout.PackingSize, classLayout.Size);
    }

    /// <summary>The FieldLayout offset of <paramref name="field"/>, null when it has none or metadata cannot be read.</summary>
    public int? ReadFieldOffset(IFieldSymbol field)
    {
        var reader = GetReader(field.ContainingModule);
        if (reader is null || !TryGetHandle(field.OriginalDefinition.MetadataToken, HandleKind.FieldDefinition, out var handle))
        {
            return null;
        }

        var offset = reader.GetFieldDefinition((FieldDefinitionHandle)handle).GetOffset();
        return offset < 0 ? null : offset;
    }

    /// <summary>
    /// How many instance fields the type's metadata defines, or null when it cannot be read. Compared with the fields
    /// Roslyn shows, so a field hidden by import options can never silently shift the computed offsets.
    /// </summary>
    public int? CountInstanceFields(INamedTypeSymbol type)
    {
        var reader = GetReader(type.ContainingModule);
        if (reader is null || !TryGetHandle(type.OriginalDefinition.MetadataToken, HandleKind.TypeDefinition, out var handle))
        {
            return null;
        }

        var count = 0;
        foreach (var fieldHandle in reader.GetTypeDefinition((TypeDefinitionHandle)handle).GetFields())
        {
            if ((reader.GetFieldDefinition(fieldHandle).Attributes & FieldAttributes.Static) == 0)
            {
                count++;
            }
        }

        return count;
    }

    private static bool TryGetHandle(int token, HandleKind kind, out EntityHandle handle)
    {
        handle = default;
        if (token == 0)
        {
            return false;
        }

        try
        {
            handle = MetadataTokens.EntityHandle(token);
        }
        catch (ArgumentException)
        {
            return false;
        }

        return handle.Kind == kind && !handle.IsNil;
    }

    private MetadataReader? GetReader(IModuleSymbol? module)
    {
        if (module is null)
        {
            return null;
        }

        return _readers.GetOrAdd(module, OpenReader);
    }

    private MetadataReader? OpenReader(IModuleSymbol module)
    {
        var assembly = module.ContainingAssembly;
        if (assembly is null || _compilation.GetMetadataReference(assembly) is not PortableExecutableReference reference)
        {
            return null;
        }

        try
        {
            var moduleIndex = 0;
            foreach (var candidate in assembly.Modules)
            {
                if (SymbolEqualityComparer.Default.Equals(candidate, module))
                {
                    break;
                }

                moduleIndex++;
            }

            switch (reference.GetMetadata())
            {
                case AssemblyMetadata assemblyMetadata:
                    var modules = assemblyMetadata.GetModules();
                    return moduleIndex < modules.Length ? modules[moduleIndex].GetMetadataReader() : null;
                case ModuleMetadata moduleMetadata when moduleIndex == 0:
                    return moduleMetadata.GetMetadataReader();
                default:
                    return null;
            }
        }
        catch (Exception e) when (e is BadImageFormatException or System.IO.IOException or InvalidOperationException or NotSupportedException or UnauthorizedAccessException)
        {
            // A reference that cannot be read leaves its types "layout unknown"; an analyzer must never throw.
            return null;
        }
    }
}
