using System.Threading.Tasks;
using Xunit;
using Verify = DmaSafe.Analyzers.Tests.CodeFixes.CodeFixVerifier<
    DmaSafe.Analyzers.Rules.UncheckedMappingAnalyzer,
    DmaSafe.CodeFixes.Fixers.UncheckedMappingCodeFixProvider>;

namespace DmaSafe.Analyzers.Tests.CodeFixes;

/// <summary>DMA005 "Check the mapping error", on the real DMA005 analyzer: the failure follows the method's style.</summary>
public sealed class CheckMappingErrorFixTests
{
    private const string Key = "DmaSafe.CheckMappingError";

    private static string Driver(string method) => $$"""
        using System;
        using DmaSafe;

        public sealed unsafe class Driver(DmaDevice dev, byte* buf)
        {
            private DmaAddress _rx;

        {{method}}
        }
        """;

    [Fact]
    public Task Void_method_throws()
    {
        var source = Driver("""
                public void Start(ReadOnlySpan<byte> data)
                {
                    var addr = dev.MapSingle(buf, 64, DmaDirection.FromDevice);
                    dev.DeviceWrite({|DMA005:addr|}, data);
                    dev.UnmapSingle({|DMA005:addr|}, 64, DmaDirection.FromDevice);
                }
            """);
        var fixedSource = Driver("""
                public void Start(ReadOnlySpan<byte> data)
                {
                    var addr = dev.MapSingle(buf, 64, DmaDirection.FromDevice);
                    if (dev.MappingError(addr))
                    {
                        throw new InvalidOperationException("DMA mapping failed: MappingError reported the error address (the bounce pool may be full)");
                    }

                    dev.DeviceWrite(addr, data);
                    dev.UnmapSingle(addr, 64, DmaDirection.FromDevice);
                }
            """);
        return Verify.VerifyFixAsync(source, fixedSource, Key);
    }

    [Fact]
    public Task Bool_method_returns_false()
    {
        var source = Driver("""
                public bool TryStart(ReadOnlySpan<byte> data)
                {
                    var addr = dev.MapSingle(buf, 64, DmaDirection.ToDevice);
                    dev.DeviceWrite({|DMA005:addr|}, data);
                    return true;
                }
            """);
        var fixedSource = Driver("""
                public bool TryStart(ReadOnlySpan<byte> data)
                {
                    var addr = dev.MapSingle(buf, 64, DmaDirection.ToDevice);
                    if (dev.MappingError(addr))
                    {
                        return false;
                    }

                    dev.DeviceWrite(addr, data);
                    return true;
                }
            """);
        return Verify.VerifyFixAsync(source, fixedSource, Key);
    }

    [Fact]
    public Task Errno_style_method_returns_its_own_error_code()
    {
        var source = Driver("""
                private const int EIO = 5;

                public int Start(ReadOnlySpan<byte> data, bool ready)
                {
                    if (!ready)
                    {
                        return -EIO;
                    }

                    _rx = dev.MapSingle(buf, 64, DmaDirection.FromDevice);
                    dev.DeviceWrite({|DMA005:_rx|}, data);
                    return 0;
                }
            """);
        var fixedSource = Driver("""
                private const int EIO = 5;

                public int Start(ReadOnlySpan<byte> data, bool ready)
                {
                    if (!ready)
                    {
                        return -EIO;
                    }

                    _rx = dev.MapSingle(buf, 64, DmaDirection.FromDevice);
                    if (dev.MappingError(_rx))
                    {
                        return -EIO;
                    }

                    dev.DeviceWrite(_rx, data);
                    return 0;
                }
            """);
        return Verify.VerifyFixAsync(source, fixedSource, Key);
    }

    [Fact]
    public Task Int_method_without_an_error_code_returns_minus_ENOMEM()
    {
        var source = Driver("""
                public int Start(ReadOnlySpan<byte> data)
                {
                    var addr = dev.MapSingle(buf, 64, DmaDirection.FromDevice);
                    dev.DeviceWrite({|DMA005:addr|}, data);
                    return 0;
                }
            """);
        var fixedSource = Driver("""
                public int Start(ReadOnlySpan<byte> data)
                {
                    var addr = dev.MapSingle(buf, 64, DmaDirection.FromDevice);
                    if (dev.MappingError(addr))
                    {
                        return -12;
                    }

                    dev.DeviceWrite(addr, data);
                    return 0;
                }
            """);
        return Verify.VerifyFixAsync(source, fixedSource, Key);
    }

    [Fact]
    public Task Fix_All_checks_each_mapping_once()
    {
        var source = Driver("""
                public void Both(ReadOnlySpan<byte> data)
                {
                    var a = dev.MapSingle(buf, 64, DmaDirection.FromDevice);
                    dev.DeviceWrite({|DMA005:a|}, data);
                    var b = dev.MapSingle(buf + 128, 64, DmaDirection.FromDevice);
                    dev.DeviceWrite({|DMA005:b|}, data);
                    dev.UnmapSingle({|DMA005:a|}, 64, DmaDirection.FromDevice);
                    dev.UnmapSingle({|DMA005:b|}, 64, DmaDirection.FromDevice);
                }
            """);
        var fixedSource = Driver("""
                public void Both(ReadOnlySpan<byte> data)
                {
                    var a = dev.MapSingle(buf, 64, DmaDirection.FromDevice);
                    if (dev.MappingError(a))
                    {
                        throw new InvalidOperationException("DMA mapping failed: MappingError reported the error address (the bounce pool may be full)");
                    }

                    dev.DeviceWrite(a, data);
                    var b = dev.MapSingle(buf + 128, 64, DmaDirection.FromDevice);
                    if (dev.MappingError(b))
                    {
                        throw new InvalidOperationException("DMA mapping failed: MappingError reported the error address (the bounce pool may be full)");
                    }

                    dev.DeviceWrite(b, data);
                    dev.UnmapSingle(a, 64, DmaDirection.FromDevice);
                    dev.UnmapSingle(b, 64, DmaDirection.FromDevice);
                }
            """);
        return Verify.VerifyFixAsync(source, fixedSource, Key);
    }

    [Fact]
    public Task Scatter_gather_count_is_checked_against_zero()
    {
        var source = Driver("""
                public bool Start(Span<ScatterEntry> list)
                {
                    var mapped = dev.MapSg(list, DmaDirection.FromDevice);
                    dev.UnmapSg({|DMA005:list|}, DmaDirection.FromDevice);
                    return true;
                }
            """);
        var fixedSource = Driver("""
                public bool Start(Span<ScatterEntry> list)
                {
                    var mapped = dev.MapSg(list, DmaDirection.FromDevice);
                    if (mapped == 0)
                    {
                        return false;
                    }

                    dev.UnmapSg(list, DmaDirection.FromDevice);
                    return true;
                }
            """);
        return Verify.VerifyFixAsync(source, fixedSource, Key);
    }
}
