using System;
using System.IO;
using DmaSafe.Runtime.Tests.Dma;
using Xunit;

namespace DmaSafe.Runtime.Tests.Soak;

/// <summary>
/// The misuses in docs/bad-input.md that no other test covered: each is refused with a message naming what was
/// wrong. (Kept beside the soak because both exist to show the runtime holds up under whatever it is given.)
/// </summary>
public sealed unsafe class BadInputCatalogueTests
{
    [Theory]
    [InlineData(nameof(MachineOptions.L1CacheLineSize), "3")]
    [InlineData(nameof(MachineOptions.L1CacheLineSize), "256")]
    [InlineData(nameof(MachineOptions.BouncePolicy), "9")]
    [InlineData(nameof(MachineOptions.Eviction), "7")]
    public void UndefinedPoliciesAndABadL1LineSizeNameTheSettingAndTheValue(string setting, string value)
    {
        var number = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
        var options = setting switch
        {
            nameof(MachineOptions.L1CacheLineSize) => new MachineOptions { L1CacheLineSize = number },
            nameof(MachineOptions.BouncePolicy) => new MachineOptions { BouncePolicy = (BouncePolicy)number },
            _ => new MachineOptions { Eviction = (EvictionPolicy)number },
        };

        var error = Assert.Throws<ArgumentException>(() => new Machine(options));
        Assert.Equal(setting, error.ParamName);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
        Assert.Contains(value, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ADestroyedCacheRefusesAllocationsAndFrees()
    {
        using var machine = TestMachines.Create();
        var cache = machine.CreateCache("rx_desc", 48);
        var kept = cache.Alloc();
        cache.Free(kept);
        cache.Dispose();

        var error = Assert.Throws<ObjectDisposedException>(() => cache.Alloc());
        Assert.Contains("kmem_cache 'rx_desc' has been destroyed", error.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => cache.Free(kept));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(1 << 20)]
    public void ALayoutViewWithAnAbsurdLineSizeIsRefused(int lineSize)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => DmaLayout.Describe<StatusThenRx128>(lineSize));
        Assert.Equal("lineSize", error.ParamName);
        Assert.Contains("power of two from 8 to 65536", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("run/one")]
    [InlineData("../escape")]
    public void AProfileNameWithAPathIsRefused(string name)
    {
        var profile = new BounceProfile();
        var directory = Path.Combine(Path.GetTempPath(), "dmasafe-badinput-" + Guid.NewGuid().ToString("N"));
        var error = Assert.Throws<ArgumentException>(() => profile.SaveTo(directory, name));
        Assert.Contains(name, error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(directory) && Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Length > 0, "nothing may be written for a refused name");
    }
}
