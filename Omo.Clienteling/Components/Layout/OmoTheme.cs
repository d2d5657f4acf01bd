using MudBlazor;

namespace Omo.Clienteling.Components.Layout;

public static class OmoTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#23314f",
            Secondary = "#c2874a",
            Tertiary = "#4f7a55",
            AppbarBackground = "#23314f",
            Background = "#f7f5f1",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo", "system-ui", "sans-serif"],
                FontSize = "1rem",
            },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "10px" },
    };
}
