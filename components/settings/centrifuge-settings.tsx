"use client";

import type { SettingsResponse } from "@/lib/domain/settings/settings-response";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { errorAt, useSettingsForm } from "@/components/settings/settings-form";

const KEYS = ["centrifuge_machines", "centrifuge_safety_zones", "impulse_zones"] as const;

/**
 * Centrifuge machines (radius, rpm range), the rpm safety zones and the impulse zones the
 * calculators classify with. Existing entries are edited in place; ids and keys stay fixed.
 */
export function CentrifugeSettingsSection({ settings }: { settings: SettingsResponse }) {
  const { form, save, resolver, onSubmit } = useSettingsForm(KEYS, settings);
  const errors = form.formState.errors;
  const num = { valueAsNumber: true } as const;
  const machines = Object.entries(settings.centrifuge_machines);
  const fieldNames = [
    ...KEYS,
    ...machines.flatMap(([id]) => ["name", "radius_inches", "min_rpm", "max_rpm"].map((f) => `centrifuge_machines.${id}.${f}`)),
    ...settings.centrifuge_safety_zones.flatMap((_, i) => ["label", "max_rpm"].map((f) => `centrifuge_safety_zones.${i}.${f}`)),
    ...settings.impulse_zones.flatMap((_, i) => ["label", "min", "max", "description"].map((f) => `impulse_zones.${i}.${f}`)),
  ];
  const groupError = (key: string) => {
    const message = errorAt(errors, key);
    return message ? <p className="text-sm text-red-300">{message}</p> : null;
  };

  return (
    <Card aria-labelledby="centrifuge-title">
      <h2 id="centrifuge-title" className="text-xl font-bold">
        Centrifuge
      </h2>
      <p className="mb-4 text-neutral-300">
        Machines, rpm safety zones and impulse zones used by the centrifuge tools and recommendations.
      </p>
      <form onSubmit={onSubmit(fieldNames, "Centrifuge settings saved")} onFocus={resolver.preload} noValidate className="space-y-6">
        <fieldset className="space-y-3">
          <legend className="font-semibold">Machines</legend>
          {machines.map(([id, machine]) => (
            <div key={id} className="grid gap-3 md:grid-cols-4">
              <Field
                label={`${machine.name}: name`}
                error={errorAt(errors, `centrifuge_machines.${id}.name`)}
                {...form.register(`centrifuge_machines.${id}.name`)}
              />
              <Field
                label={`${machine.name}: radius (in)`}
                type="number"
                step="any"
                error={errorAt(errors, `centrifuge_machines.${id}.radius_inches`)}
                {...form.register(`centrifuge_machines.${id}.radius_inches`, num)}
              />
              <Field
                label={`${machine.name}: min rpm`}
                type="number"
                error={errorAt(errors, `centrifuge_machines.${id}.min_rpm`)}
                {...form.register(`centrifuge_machines.${id}.min_rpm`, num)}
              />
              <Field
                label={`${machine.name}: max rpm`}
                type="number"
                error={errorAt(errors, `centrifuge_machines.${id}.max_rpm`)}
                {...form.register(`centrifuge_machines.${id}.max_rpm`, num)}
              />
            </div>
          ))}
          {groupError("centrifuge_machines")}
        </fieldset>
        <div className="grid gap-6 lg:grid-cols-[1fr_2fr]">
          <fieldset className="space-y-3">
            <legend className="font-semibold">RPM safety zones (ascending)</legend>
            {settings.centrifuge_safety_zones.map((zone, i) => (
              <div key={zone.key} className="grid grid-cols-2 gap-3">
                <Field
                  label={`Zone ${i + 1} label`}
                  error={errorAt(errors, `centrifuge_safety_zones.${i}.label`)}
                  {...form.register(`centrifuge_safety_zones.${i}.label`)}
                />
                <Field
                  label={`Zone ${i + 1} up to rpm`}
                  type="number"
                  error={errorAt(errors, `centrifuge_safety_zones.${i}.max_rpm`)}
                  {...form.register(`centrifuge_safety_zones.${i}.max_rpm`, num)}
                />
              </div>
            ))}
            {groupError("centrifuge_safety_zones")}
          </fieldset>
          <fieldset className="space-y-3">
            <legend className="font-semibold">Impulse zones (N·s, contiguous)</legend>
            {settings.impulse_zones.map((zone, i) => (
              <div key={zone.key} className="grid grid-cols-[1fr_0.7fr_0.7fr_2fr] gap-3">
                <Field
                  label={`Impulse ${i + 1} label`}
                  error={errorAt(errors, `impulse_zones.${i}.label`)}
                  {...form.register(`impulse_zones.${i}.label`)}
                />
                <Field
                  label={`Impulse ${i + 1} from`}
                  type="number"
                  step="any"
                  error={errorAt(errors, `impulse_zones.${i}.min`)}
                  {...form.register(`impulse_zones.${i}.min`, num)}
                />
                <Field
                  label={`Impulse ${i + 1} to`}
                  type="number"
                  step="any"
                  error={errorAt(errors, `impulse_zones.${i}.max`)}
                  {...form.register(`impulse_zones.${i}.max`, num)}
                />
                <Field
                  label={`Impulse ${i + 1} description`}
                  error={errorAt(errors, `impulse_zones.${i}.description`)}
                  {...form.register(`impulse_zones.${i}.description`)}
                />
              </div>
            ))}
            {groupError("impulse_zones")}
          </fieldset>
        </div>
        <Button type="submit" variant="primary" busy={save.isPending}>
          Save centrifuge settings
        </Button>
      </form>
    </Card>
  );
}
