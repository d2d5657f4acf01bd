namespace Omo.Clienteling.Demo;

public sealed class DemoOptions
{
    public const string Section = "Demo";

    /// <summary>Load the demo dataset when the app starts on an empty database.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The generator's seed: the same seed on the same day gives the same data.</summary>
    public int Seed { get; set; } = 20261122;

    /// <summary>How many members the demo dataset has, the ten personas included.</summary>
    public int Members { get; set; } = 2000;
}
