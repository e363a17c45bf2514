// Stand-ins for the kernel types the ported driver structs embed, with arm64 sizes (no lock debugging). Only their size
// and alignment matter: they are CPU-owned bytes next to the DMA buffers. CorpusTests compiles this file with each port.
#pragma warning disable CS0169 // opaque: the fields only give the stand-ins their alignment

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace DmaSafe.Analyzers.Tests.Corpus.Ports.Kernel;

[StructLayout(LayoutKind.Sequential, Size = 32)] public struct Mutex { private long _owner; }

[StructLayout(LayoutKind.Sequential, Size = 32)] public struct Completion { private long _done; }

[StructLayout(LayoutKind.Sequential, Size = 80)] public struct SpiMessage { private nint _spi; }

[StructLayout(LayoutKind.Sequential, Size = 104)] public struct SpiTransfer { private nint _txBuf; }

[StructLayout(LayoutKind.Sequential, Size = 16)] public struct RegulatorBulkData { private nint _supply; }

[StructLayout(LayoutKind.Sequential, Size = 72)] public struct IioMountMatrix { private nint _rotation; }

[InlineArray(2)] public struct SpiTransfer2 { private SpiTransfer _e; }

[InlineArray(3)] public struct SpiTransfer3 { private SpiTransfer _e; }

[InlineArray(5)] public struct SpiTransfer5 { private SpiTransfer _e; }
