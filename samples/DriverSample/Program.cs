using System;
using DmaSafe;

// Placeholder-free minimal demo until the sample issue: shows where kmalloc puts small buffers relative to DMA lines.
unsafe
{
    using var machine = new Machine();
    Console.WriteLine($"DmaSafe DriverSample: DmaMinAlign = {machine.Options.DmaMinAlign}, KmallocMinAlign = {machine.Options.KmallocMinAlign}");
    foreach (var size in new nuint[] { 8, 100, 136, 200, 300, 9000 })
    {
        var p = machine.Kmalloc(size);
        var offset = (ulong)p % (ulong)machine.Options.DmaMinAlign;
        Console.WriteLine($"kmalloc({size,5}) -> ksize {machine.Ksize(p),5}, offset in DMA line {offset,3}");
        machine.Kfree(p);
    }
}
