namespace AspireVector.Node.Collections;

/// <summary>Value kinds of <see cref="ConfigSection"/> fields.</summary>
public enum ConfigValueKind
{
    /// <summary>Non-negative integer.</summary>
    Count,

    /// <summary>Integer of at least 1.</summary>
    PositiveCount,

    /// <summary>Non-negative integer or null.</summary>
    OptionalCount,

    /// <summary>Boolean or null.</summary>
    OptionalBool,

    /// <summary>Number between 0 and 1.</summary>
    Fraction,
}
