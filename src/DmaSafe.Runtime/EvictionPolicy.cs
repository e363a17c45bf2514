namespace DmaSafe;

/// <summary>When the cache model writes a dirty line back to RAM on its own, outside any cache maintenance.</summary>
public enum EvictionPolicy
{
    /// <summary>Dirty lines stay in the cache until maintenance cleans them.</summary>
    None,

    /// <summary>At every device access each dirty line is written back with some probability, from <see cref="MachineOptions.Seed"/>.</summary>
    Random,

    /// <summary>Every dirty line is written back at every device access: the worst case, deterministic.</summary>
    Adversarial,
}
