namespace DmaSafe.Package.Tests;

/// <summary>The programs the scratch projects compile, with the lines the expectations point at.</summary>
internal static class ConsumerSources
{
    /// <summary>The line of <see cref="Driver"/> that declares the buffer DMA001 must flag.</summary>
    public const string DriverBufferLine = "[DmaBuffer] public fixed byte Rx[RxBytes];";

    /// <summary>
    /// A minimal driver: a state struct with its receive buffer between two CPU-owned fields (the layout the Linux IIO
    /// drivers warn about), one FromDevice transfer into it on a non-coherent device, and the bounce count printed.
    /// Given a folder as its argument, it also saves its bounce profile there as driver.dmabounces.json.
    /// </summary>
    public const string Driver = """
        using System;
        using DmaSafe;

        unsafe
        {
            using var machine = new Machine(new MachineOptions { BouncePolicy = BouncePolicy.Alignment });
            var device = machine.AddDevice("adc0");
            AdcState* state = machine.Kzalloc<AdcState>();
            state->Status = 1;
            var handle = device.MapSingle(state->Rx, AdcState.RxBytes, DmaDirection.FromDevice);
            if (device.MappingError(handle))
            {
                throw new InvalidOperationException("mapping failed");
            }

            device.DeviceWrite(handle, new byte[AdcState.RxBytes]);
            device.UnmapSingle(handle, AdcState.RxBytes, DmaDirection.FromDevice);
            state->Count++;
            machine.Kfree(state);
            Console.WriteLine($"bounces={machine.Bounces.TotalBounces}");
            if (args.Length > 0)
            {
                Console.WriteLine($"profile={machine.Bounces.SaveTo(args[0], "driver")}");
            }
        }

        // CPU-owned fields around a receive buffer.
        unsafe struct AdcState
        {
            public const int RxBytes = 128;
            public int Status;
            [DmaBuffer] public fixed byte Rx[RxBytes];
            public int Count;
        }
        """;

    /// <summary>The allocation DMA004 must flag once a profile recorded the bounce.</summary>
    public const string DriverAllocationLine = "AdcState* state = machine.Kzalloc<AdcState>();";

    /// <summary>The mapping DMA004 must flag once a profile recorded the bounce.</summary>
    public const string DriverMapLine = "var handle = device.MapSingle(state->Rx, AdcState.RxBytes, DmaDirection.FromDevice);";

    /// <summary>The line of <see cref="LineSizeProbe"/> that declares the probed buffer.</summary>
    public const string ProbeBufferLine = "[DmaBuffer] public fixed byte Rx[64];";

    /// <summary>
    /// A line-aligned struct whose buffer owns its line when lines are 64 bytes but shares line 0 with Head when they
    /// are 128: DMA001 appears or not depending on the line size the analyzer was configured with.
    /// </summary>
    public const string LineSizeProbe = """
        using DmaSafe;

        System.Console.WriteLine("probe");

        [DmaAligned]
        unsafe struct Probe
        {
            public fixed byte Head[64];
            [DmaBuffer] public fixed byte Rx[64];
        }
        """;
}
